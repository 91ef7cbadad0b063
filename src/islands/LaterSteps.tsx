// SPDX-License-Identifier: EUPL-1.2
/**
 * The parts of the conversation from the phone step on: the typed number checked by the server,
 * the number read back before sending, the request waiting on the device, the confirmation that
 * says what was chosen, the thanks after the optional questions, and the staff member's outcome
 * form on a tablet. The island loads them apart once the resident reaches the help step (most
 * page opens never get that far); the server renders them from the start (src/server/
 * resident-page.ts). Sentence and icon components come in as `kit`, so this chunk shares no
 * module with the island's own.
 */
import type { JSX } from 'preact';
import type { AnswerTable } from '../../flows/answers.ts';
import type { ResidentEvent } from '../../flows/resident.ts';
import type { SavedConversation, Screen } from '../lib/conversation.ts';
import { callbackBody, extrasBody } from '../lib/request-body.ts';
import type { Strings } from '../lib/strings.ts';
import type { Icon as IconType } from './Icon.tsx';
import type { ListenButton as ListenButtonType, Say as SayType } from './Listen.tsx';
import type { PageInfo, WaitingView } from './StepScreen.tsx';

export interface Kit {
  Say: typeof SayType;
  ListenButton: typeof ListenButtonType;
  Icon: typeof IconType;
}

export interface LaterScreens {
  Queued: (props: { waiting: WaitingView | null | undefined; t: Strings }) => JSX.Element;
  Done: (props: { screen: Screen; page: PageInfo; t: Strings }) => JSX.Element;
  Thanks: (props: { screen: Screen; page: PageInfo; t: Strings }) => JSX.Element;
  StaffFinish: (props: { staff: NonNullable<PageInfo['staff']>; requestId: string; onFinish: () => void }) => JSX.Element;
  ReadBack: (props: { screen: Screen; t: Strings }) => JSX.Element;
}

export type PhoneCheck = { kind: 'ok'; display: string } | { kind: 'invalid'; code: string } | { kind: 'unknown' };

/** Asks the server to check a typed number (libphonenumber is too large for this page); offline it waits for the send. */
export async function checkPhoneRemote(path: string, phone: string): Promise<PhoneCheck> {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone }),
      signal: AbortSignal.timeout(4000),
    });
    const body = (await res.json().catch(() => ({}))) as { display?: string; invalidParams?: { code: string }[] };
    if (res.ok && body.display) return { kind: 'ok', display: body.display };
    const code = body.invalidParams?.[0]?.code;
    if (res.status === 422 && code) return { kind: 'invalid', code };
  } catch {
    // offline or slow: the server checks the number again when the request arrives
  }
  return { kind: 'unknown' };
}

/** The call-back request as sent (and as kept on the device when it cannot be sent). */
export function requestBody(sending: SavedConversation, municipality: string, lang: string, answers: AnswerTable): string {
  return JSON.stringify(callbackBody(sending, municipality, lang, answers));
}

/**
 * Sends the call-back request once (the conversation id is the Idempotency-Key). The answer is
 * the flow event to apply, or 'later' when the request should wait on the device (offline, the
 * server down or busy).
 */
export async function postRequest(
  apiPath: string,
  body: string,
  sending: SavedConversation,
  errorsFrom: (invalidParams: { name: string; code: string }[]) => Record<string, string>,
): Promise<ResidentEvent | 'later'> {
  let res: Response;
  try {
    res = await fetch(apiPath, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': sending.id }, body });
  } catch {
    return 'later';
  }
  const answer = (await res.json().catch(() => ({}))) as { id?: string; reference?: string; invalidParams?: { name: string; code: string }[] };
  if (res.ok && answer.reference) return { type: 'SENT', reference: answer.reference, ...(answer.id ? { requestId: answer.id } : {}) };
  if (res.status === 422 && answer.invalidParams) return { type: 'FAILED', errors: errorsFrom(answer.invalidParams) };
  if (res.status >= 500 || res.status === 429) return 'later';
  return { type: 'FAILED', errors: { network: 'network' } };
}

/**
 * Adds the optional answers to the stored request, unless they are what it already took
 * (`taken`): their body, and whether the server has them.
 */
export async function putExtras(
  apiPath: string,
  saved: SavedConversation,
  taken: string | null,
  answers: AnswerTable,
): Promise<{ body: string; ok: boolean }> {
  const body = JSON.stringify(extrasBody(saved, answers));
  if (body === taken) return { body, ok: true };
  try {
    const res = await fetch(`${apiPath}/${saved.context.requestId}/aanvulling`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body, keepalive: true });
    return { body, ok: res.ok };
  } catch {
    return { body, ok: false };
  }
}

export function laterScreens({ Say, ListenButton, Icon }: Kit): LaterScreens {
  const PLACEHOLDER = '\u0000';
  /** Puts an element where a translated sentence has its placeholder, wherever the language puts it. */
  function withPlaceholder(text: string, element: preact.JSX.Element) {
    const [before, after] = text.split(PLACEHOLDER);
    return (
      <>
        {before}
        {element}
        {after}
      </>
    );
  }

  /** The request waits on this device: what is kept, and the resident's way to send or delete it. */
  function Queued({ waiting, t }: { waiting: WaitingView | null | undefined; t: Strings }) {
    return (
      <div class="queued">
        {waiting && (
          <div class="waiting-box">
            <Say id="steps.queued.waiting" text={t('steps.queued.waiting')} />
            <dl>
              <dt>{t('steps.queued.phone')}</dt>
              <dd>
                <bdi dir="ltr">{waiting.phone}</bdi>
              </dd>
              {waiting.firstName && (
                <>
                  <dt>{t('steps.queued.name')}</dt>
                  <dd>
                    <bdi>{waiting.firstName}</bdi>
                  </dd>
                </>
              )}
            </dl>
          </div>
        )}
        <p role="status" class="trying">
          {waiting?.trying ? t('steps.queued.trying') : ''}
        </p>
        <div class="actions">
          <button type="submit" name="event" value="RETRY" class="primary" disabled={waiting?.trying}>
            <Icon name="ui-send" class="icon icon-inline" /> {t('steps.queued.sendNow')}
          </button>
          <button type="submit" name="event" value="DISCARD" class="secondary" formNoValidate>
            <Icon name="ui-trash" class="icon icon-inline" /> {t('steps.queued.delete')}
          </button>
        </div>
      </div>
    );
  }

  function Done({ screen, page, t }: { screen: Screen; page: PageInfo; t: Strings }) {
    const c = screen.context;
    const chosen = new Set<string>(c.help);
    const offers = page.offers.filter((o) => chosen.has(o.help));
    const together = page.staff !== undefined;
    return (
      <div class="done">
        {c.sentLater && (
          <div role="status">
            <Say id="steps.done.sentLater" text={t('steps.done.sentLater')} class="notice" />
          </div>
        )}
        {together ? (
          <Say id="steps.done.together" text={t('steps.done.together')} />
        ) : (
          <>
            {/* urgent first, with its own shorter promise */}
            {c.urgent ? (
              <Say id="steps.done.urgent" text={t('steps.done.urgent')} class="promise urgent" />
            ) : (
              <Say id="steps.done.promise" text={t('steps.done.promise')} class="promise" />
            )}
            <Say id="steps.done.who" text={t('steps.done.who')} />
            <div class="chosen">
              <Say id="steps.done.chose" text={t('steps.done.chose')} as="h2" />
              <dl>
                <dt>{t('steps.done.how')}</dt>
                {c.ways.map((w) => (
                  <dd key={w}>
                    <Say id={`steps.ways.options.${w}`} text={t(`steps.ways.options.${w}`)} as="span" />
                  </dd>
                ))}
                <dt>{t('steps.done.when')}</dt>
                {c.moments.map((m) => (
                  <dd key={m}>
                    <Say id={`steps.moments.options.${m}`} text={t(`steps.moments.options.${m}`)} as="span" />
                  </dd>
                ))}
              </dl>
            </div>
          </>
        )}
        {c.reference && (
          <div class="reference-box">
            <div class="say">
              <p class="reference">
                {withPlaceholder(t('steps.done.reference', { reference: PLACEHOLDER }), <strong dir="ltr">{c.reference}</strong>)}
              </p>
              <ListenButton id="steps.done.reference" text={t('steps.done.reference', { reference: '' })} />
            </div>
            <Say id="steps.done.referenceNote" text={t('steps.done.referenceNote')} class="hint" />
          </div>
        )}
        {offers.length > 0 && (
          <ul class="offers">
            {offers.map((o) => (
              <li key={o.name}>
                <strong>{o.name}</strong>
                {o.description && <span>{o.description}</span>}
                {o.walkIn && <span>{o.walkIn}</span>}
                {o.address && <span>{o.address}</span>}
                {o.phone && (
                  <a href={`tel:${o.phone.replace(/[^\d+]/g, '')}`} dir="ltr">
                    {o.phone}
                  </a>
                )}
              </li>
            ))}
          </ul>
        )}
        <Say id="steps.done.phone" text={t('steps.done.phone')} />
        <div class="more">
          <Say id="steps.done.more" text={t('steps.done.more')} />
          <button type="submit" name="event" value="MORE" class="primary">
            {t('steps.done.moreYes')} <Icon name="ui-next" class="icon icon-inline" />
          </button>
        </div>
        <div class="actions">
          <button type="submit" name="event" value="RESTART" class="secondary" formNoValidate>
            <Icon name="ui-restart" class="icon icon-inline" /> {t('steps.done.restart')}
          </button>
          {!together && (
            <a class="button secondary" href={page.municipality.website}>
              {t('steps.done.close')}
            </a>
          )}
        </div>
      </div>
    );
  }

  /** After the optional questions: what was added, or that something still has to be sent. */
  function Thanks({ screen, page, t }: { screen: Screen; page: PageInfo; t: Strings }) {
    return (
      <div class="done">
        {screen.context.extrasUnsaved && (
          <div role="alert" class="field-error-box">
            <Say id="steps.thanks.unsaved" text={t('steps.thanks.unsaved')} class="field-error" />
            <button type="submit" name="event" value="RETRY_EXTRAS" class="primary">
              <Icon name="ui-send" class="icon icon-inline" /> {t('steps.thanks.retry')}
            </button>
          </div>
        )}
        <Say id="steps.done.phone" text={t('steps.done.phone')} />
        <div class="actions">
          <button type="submit" name="event" value="RESTART" class="secondary" formNoValidate>
            <Icon name="ui-restart" class="icon icon-inline" /> {t('steps.done.restart')}
          </button>
          {!page.staff && (
            <a class="button secondary" href={page.municipality.website}>
              {t('steps.done.close')}
            </a>
          )}
        </div>
      </div>
    );
  }

/** Reads a phone number back as the clips of its digits, a short pause between the groups. */
  function digitClips(groups: readonly string[]): string[] {
    const out: string[] = [];
    for (const [i, group] of groups.entries()) {
      if (i > 0) out.push('|');
      for (const c of group) if (/\d/.test(c)) out.push(`digits.${c}`);
      else if (c === '+') out.push('digits.plus');
    }
    return out;
  }

  /** Before sending: the number as it will be called, to see and to hear, with a way to correct it. */
  function ReadBack({ screen, t }: { screen: Screen; t: Strings }) {
    const phone = screen.context.phone;
    const groups = phone.split(/\s+/).filter(Boolean);
    return (
      <div class="readback">
        <Say id="steps.consent.number" text={t('steps.consent.number')} />
        <div class="say">
          <bdi dir="ltr" class="phone-readback">
            {phone}
          </bdi>
          <ListenButton id="@phone" text={phone} sequence={digitClips(groups)} />
        </div>
        <button type="submit" name="event" value="EDIT" class="secondary" formNoValidate>
          {t('steps.consent.change')}
        </button>
      </div>
    );
  }

  /** On a shared tablet: the staff member records the outcome, and the tablet is wiped for the next resident. */
  function StaffFinish({ staff, requestId, onFinish }: { staff: NonNullable<PageInfo['staff']>; requestId: string; onFinish: () => void }) {
    return (
      <form method="post" action={staff.finishPath} class="staff-finish" lang="nl" dir="ltr">
        <h2>{staff.texts.title}</h2>
        <input type="hidden" name="_csrf" value={staff.csrf} />
        <input type="hidden" name="request" value={requestId} />
        <input type="hidden" name="next" value={staff.startPath} />
        <label for="staff-outcome">{staff.texts.outcome}</label>
        <select id="staff-outcome" name="outcome" required>
          {staff.outcomes.map((o) => (
            <option value={o.value} key={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <button type="submit" class="primary" onClick={onFinish}>
          {staff.texts.submit}
        </button>
      </form>
    );
  }

  return { Queued, Done, Thanks, StaffFinish, ReadBack };
}
