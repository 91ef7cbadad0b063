// SPDX-License-Identifier: EUPL-1.2
/**
 * One step of the conversation as a plain HTML form: it works by form post before (or without)
 * JavaScript, and the island intercepts the same submit to change steps in place.
 * Rendered on the server for the first paint and in the browser after each answer.
 */
import type { SavedConversation, Screen } from '../lib/conversation.ts';
import type { Strings } from '../lib/strings.ts';
import { Icon } from './Icon.tsx';
import { ListenButton, Say } from './Listen.tsx';

export interface OfferView {
  help: string;
  name: string;
  description?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  walkIn?: string | undefined;
  url?: string | undefined;
}

export interface LanguageChoice {
  code: string;
  name: string;
  dir: 'ltr' | 'rtl';
  action: string;
}

export interface PageInfo {
  lang: string;
  action: string;
  municipality: { name: string; phone: string; phoneDisplay: string; hours: string; website: string };
  languages: LanguageChoice[];
  offers: OfferView[];
  /** set when the resident came through a personal link: the word printed in their letter or SMS */
  invite?: { checkWord: string; channel: string } | undefined;
  /** staff mode on a shared tablet: the CSRF token for every form, and where staff finish a request */
  staff?:
    { csrf: string; finishPath: string; startPath: string; outcomes: { value: string; label: string }[] } | undefined;
}

/** What waits on the device to be sent (queued step): shown so the resident knows what is kept. */
export interface WaitingView {
  phone: string;
  firstName: string;
  /** a delivery attempt is running */
  trying: boolean;
}

interface Props {
  saved: SavedConversation;
  screen: Screen;
  page: PageInfo;
  t: Strings;
  busy?: boolean;
  waiting?: WaitingView | null | undefined;
}

function FieldError({ id, code, t }: { id: string; code: string | undefined; t: Strings }) {
  if (!code) return null;
  return (
    <div class="say field-error" role="alert">
      <p id={id}>
        <Icon name="warning" class="icon icon-inline" /> {t(`errors.${code}`)}
      </p>
      <ListenButton id={`errors.${code}`} text={t(`errors.${code}`)} />
    </div>
  );
}

function ChoiceButtons({ screen, t, selected }: { screen: Screen; t: Strings; selected: string | null }) {
  return (
    <div class="choices" role="group" aria-labelledby="step-title">
      {screen.meta.options?.map((o) => (
        <div class="choice-row" key={o.value}>
          <button
            type="submit"
            name="answer"
            value={o.value}
            class={`choice${o.value === screen.meta.escape ? ' choice-escape' : ''}`}
            aria-pressed={selected === o.value ? 'true' : undefined}
          >
            <Icon name={o.icon} class="icon choice-icon" />
            <span class="choice-label">{t(o.label)}</span>
          </button>
          <ListenButton id={o.label} text={t(o.label)} />
        </div>
      ))}
    </div>
  );
}

function MultiChoice({ screen, t }: { screen: Screen; t: Strings }) {
  const field = screen.meta.field as 'help' | 'moments' | 'ways';
  const chosen = new Set(screen.context[field]);
  const error = screen.context.errors[field];
  return (
    <fieldset class="choices" aria-describedby={error ? 'error-multi' : 'multi-hint'}>
      <legend class="visually-hidden">{t(screen.meta.title)}</legend>
      <Say
        id={`steps.${screen.state}.hint`}
        text={t(`steps.${screen.state}.hint`)}
        elementId="multi-hint"
        class="hint"
      />
      <FieldError id="error-multi" code={error} t={t} />
      {screen.meta.options?.map((o) => (
        <div class="choice-row" key={o.value}>
          <label class="choice choice-check">
            <input type="checkbox" name="answer" value={o.value} checked={chosen.has(o.value as never)} />
            <Icon name={o.icon} class="icon choice-icon" />
            <span class="choice-label">{t(o.label)}</span>
          </label>
          <ListenButton id={o.label} text={t(o.label)} />
        </div>
      ))}
      <button type="submit" name="event" value="ANSWER" class="primary">
        {t(`steps.${screen.state}.submit`)} <Icon name="ui-next" class="icon icon-inline" />
      </button>
    </fieldset>
  );
}

function TextField({ screen, t }: { screen: Screen; t: Strings }) {
  const isPhone = screen.meta.kind === 'phone';
  const field = isPhone ? 'phone' : 'firstName';
  const error = screen.context.errors[field];
  const value = isPhone ? screen.context.phone : screen.context.firstName;
  return (
    <div class="field">
      <Say
        id={`steps.${screen.state}.label`}
        text={t(`steps.${screen.state}.label`)}
        as="label"
        htmlFor={`field-${field}`}
        class="field-label"
      />
      {isPhone && <Say id="steps.phone.hint" text={t('steps.phone.hint')} elementId="hint-phone" class="hint" />}
      <FieldError id={`error-${field}`} code={error} t={t} />
      <input
        id={`field-${field}`}
        name="answer"
        type={isPhone ? 'tel' : 'text'}
        dir={isPhone ? 'ltr' : 'auto'}
        inputMode={isPhone ? 'tel' : 'text'}
        autoComplete={isPhone ? 'tel' : 'given-name'}
        required={isPhone}
        maxLength={isPhone ? 40 : 40}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={
          [isPhone ? 'hint-phone' : '', error ? `error-${field}` : ''].filter(Boolean).join(' ') || undefined
        }
      />
      <button type="submit" name="event" value="ANSWER" class="primary">
        {t(`steps.${screen.state}.submit`)} <Icon name="ui-next" class="icon icon-inline" />
      </button>
      {!isPhone && (
        <button type="submit" name="event" value="SKIP" class="secondary" formNoValidate>
          {t('steps.name.skip')}
        </button>
      )}
    </div>
  );
}

function LanguageList({ page }: { page: PageInfo }) {
  return (
    <div class="choices" role="group" aria-labelledby="step-title">
      {page.languages.map((l) => (
        <div class="choice-row" key={l.code}>
          <button type="submit" name="answer" value={l.code} formAction={l.action} class="choice" lang={l.code}>
            <Icon name="globe" class="icon choice-icon" />
            <span class="choice-label" dir={l.dir}>
              {l.name}
            </span>
          </button>
          <ListenButton id={`@language:${l.code}`} text={l.name} />
        </div>
      ))}
    </div>
  );
}

/** Who is contacting you and how to check it: for residents told never to trust an unexpected link. */
function Trust({ page, t }: { page: PageInfo; t: Strings }) {
  return (
    <section class="trust" aria-labelledby="trust-title">
      <Say id="steps.welcome.checkTitle" text={t('steps.welcome.checkTitle')} as="h2" elementId="trust-title" />
      {page.invite && (
        <div class="check-word">
          <Say id="steps.welcome.checkWordIntro" text={t('steps.welcome.checkWordIntro')} />
          <strong class="word" dir="ltr" lang="nl">
            {page.invite.checkWord}
          </strong>
        </div>
      )}
      <Say id="steps.welcome.check" text={t('steps.welcome.check')} />
      <Say id="footer.noMoney" text={t('footer.noMoney')} class="no-money-strong" />
    </section>
  );
}

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
  const chosen = new Set<string>(screen.context.help);
  const offers = page.offers.filter((o) => chosen.has(o.help));
  return (
    <div class="done">
      {screen.context.sentLater && (
        <div role="status">
          <Say id="steps.done.sentLater" text={t('steps.done.sentLater')} class="notice" />
        </div>
      )}
      {screen.context.reference && (
        <div class="say">
          <p class="reference">
            {withPlaceholder(
              t('steps.done.reference', { reference: PLACEHOLDER }),
              <strong dir="ltr">{screen.context.reference}</strong>,
            )}
          </p>
          <ListenButton id="steps.done.reference" text={t('steps.done.reference', { reference: '' })} />
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
      <div class="actions">
        <button type="submit" name="event" value="RESTART" class="secondary" formNoValidate>
          <Icon name="ui-restart" class="icon icon-inline" /> {t('steps.done.restart')}
        </button>
        <a class="button secondary" href={page.municipality.website}>
          {t('steps.done.close')}
        </a>
      </div>
    </div>
  );
}

export function StepScreen({ saved, screen, page, t, busy = false, waiting }: Props) {
  const { meta } = screen;
  const selected = meta.field ? (screen.context[meta.field] as unknown) : null;
  return (
    <form
      method="post"
      action={page.action}
      class={`step step-${screen.state}`}
      aria-busy={busy ? 'true' : undefined}
      data-step={screen.state}
    >
      <input type="hidden" name="conversation" value={JSON.stringify(saved)} />
      {page.staff && <input type="hidden" name="_csrf" value={page.staff.csrf} />}
      {screen.progress && (
        <div class="progress">
          <Say
            id={`progress#${screen.progress.current}`}
            text={t('progress', { current: screen.progress.current, total: screen.progress.total })}
            as="span"
          />
          <progress max={screen.progress.total} value={screen.progress.current} aria-hidden="true" />
        </div>
      )}
      <div class="step-icon">
        <Icon name={meta.icon} class="icon step-pictogram" />
      </div>
      <Say id={meta.title} text={t(meta.title)} as="h1" elementId="step-title" class="step-title" tabIndex={-1} />
      {meta.body && <Say id={meta.body} text={t(meta.body)} class="step-body" />}
      {meta.kind === 'language' && <LanguageList page={page} />}
      {meta.kind === 'choice' && (
        <ChoiceButtons screen={screen} t={t} selected={typeof selected === 'string' ? selected : null} />
      )}
      {meta.kind === 'multi' && <MultiChoice screen={screen} t={t} />}
      {(meta.kind === 'phone' || meta.kind === 'text') && <TextField screen={screen} t={t} />}
      {screen.state === 'urgentInfo' && (
        <a class="button primary call-now" href={`tel:${page.municipality.phone}`}>
          <Icon name="ui-phone" class="icon icon-inline" /> <bdi dir="ltr">{page.municipality.phoneDisplay}</bdi>
        </a>
      )}
      {screen.state === 'welcome' && <Trust page={page} t={t} />}
      {meta.kind === 'info' && (
        <button type="submit" name="event" value="NEXT" class="primary">
          {t(screen.state === 'welcome' ? 'steps.welcome.start' : 'nav.next')}{' '}
          <Icon name="ui-next" class="icon icon-inline" />
        </button>
      )}

      {screen.state === 'consent' && (
        <FieldError id="error-consent" code={screen.context.errors.consent ?? screen.context.errors.network} t={t} />
      )}
      {meta.kind === 'end' && screen.state === 'done' && <Done screen={screen} page={page} t={t} />}
      {screen.state === 'queued' && <Queued waiting={waiting} t={t} />}
      {meta.kind === 'end' && (screen.state === 'selfDone' || screen.state === 'discarded') && (
        <div class="actions">
          <button type="submit" name="event" value="RESTART" class="secondary" formNoValidate>
            <Icon name="ui-restart" class="icon icon-inline" /> {t('nav.restart')}
          </button>
        </div>
      )}
      {screen.canGoBack && (
        <div class="step-nav">
          <button type="submit" name="event" value="BACK" class="back" formNoValidate>
            <Icon name="ui-back" class="icon icon-inline" /> {t('nav.back')}
          </button>
          {meta.kind !== 'end' && screen.state !== 'language' && (
            <button type="submit" name="event" value="RESTART" class="link" formNoValidate>
              {t('nav.restart')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}
