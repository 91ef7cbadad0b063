// SPDX-License-Identifier: EUPL-1.2
/**
 * One step of the conversation as a plain HTML form: it works by form post before (or without)
 * JavaScript, and the island intercepts the same submit to change steps in place.
 * Rendered on the server for the first paint and in the browser after each answer.
 */
import type { SavedConversation, Screen } from '../lib/conversation.ts';
import type { Schedule } from '../lib/opening-state.ts';
import type { Strings } from '../lib/strings.ts';
import type { LaterScreens } from './LaterSteps.tsx';
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
  /** opening periods of the coming days (public holidays left out), read against the device's clock */
  schedule: Schedule;
  /** when the server rendered the page: the first render matches it, then the phone's own clock counts */
  renderedAt: number;
  /** weekday names 1 (Monday) … 7 in this language, for "we are there again on …" */
  weekdays: string[];
  /** the welcome's measured length sentence and its clip id */
  length: { text: string; clip: string };
  /** every language the portal speaks, in its own name and script (the talk-language choices show them) */
  nativeNames: Record<string, { name: string; dir: 'ltr' | 'rtl' }>;
  /** staff mode on a shared tablet: the CSRF token for every form, and where staff finish a request */
  staff?:
    | {
        csrf: string;
        finishPath: string;
        startPath: string;
        outcomes: { value: string; label: string }[];
        /** the staff member's words (Dutch, from the staff namespace) */
        texts: { title: string; outcome: string; submit: string };
      }
    | undefined;
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
  /** whether the municipality is open right now (the call-now button shows only then) */
  open: boolean;
  /** the screens and parts from the phone step on, once loaded (LaterSteps.tsx) */
  after?: LaterScreens | null | undefined;
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

function ChoiceButtons({ screen, t, selected, native }: { screen: Screen; t: Strings; selected: readonly string[]; native: PageInfo['nativeNames'] }) {
  return (
    <div class="choices" role="group" aria-labelledby="step-title">
      {screen.meta.options?.map((o) => (
        <div class="choice-row" key={o.value}>
          <button
            type="submit"
            name="answer"
            value={o.value}
            class={`choice${o.value === screen.meta.escape ? ' choice-escape' : ''}`}
            aria-pressed={selected.includes(o.value) ? 'true' : undefined}
          >
            <Icon name={o.icon} class="icon choice-icon" />
            <span class="choice-label">
              {t(o.label)}
              {/* a language also in its own name and script, so a resident recognises it without reading Dutch */}
              {screen.state === 'talkLanguage' && native[o.value] && (
                <span class="choice-native" lang={o.value} dir={native[o.value]?.dir}>
                  {native[o.value]?.name}
                </span>
              )}
            </span>
          </button>
          <ListenButton id={o.label} text={t(o.label)} />
        </div>
      ))}
    </div>
  );
}

function MultiChoice({ screen, t }: { screen: Screen; t: Strings }) {
  const field = screen.meta.field as 'help' | 'moments' | 'contactPrefs';
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
          <button type="submit" name="answer" value={l.code} formAction={l.action} class="choice choice-language" lang={l.code}>
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
          <div class="say">
            <strong class="word" dir="ltr" lang="nl">
              {page.invite.checkWord}
            </strong>
            <ListenButton id={`@word:${page.invite.checkWord}`} text={page.invite.checkWord} />
          </div>
        </div>
      )}
      <Say id="steps.welcome.check" text={t('steps.welcome.check')} />
      <Say id="footer.noMoney" text={t('footer.noMoney')} class="no-money-strong" />
    </section>
  );
}

/** The step's heading: on a shared tablet the confirmation says it was filled in together. */
function titleKey(screen: Screen, page: PageInfo): string {
  return screen.state === 'done' && page.staff ? 'steps.done.titleTogether' : screen.meta.title;
}

/** The step's text under the heading, where it depends on whether the office is open. */
function bodyKey(screen: Screen, open: boolean): string | undefined {
  return screen.state === 'urgentInfo' && !open ? 'steps.urgentInfo.bodyClosed' : screen.meta.body;
}

export const STEP_FORM_ID = 'step-form';

export function StepScreen({ saved, screen, page, t, busy = false, waiting, open, after }: Props) {
  const { meta } = screen;
  const value = meta.field ? (screen.context[meta.field] as unknown) : null;
  const selected = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
  const title = titleKey(screen, page);
  const body = bodyKey(screen, open);
  return (
    <form
      method="post"
      action={page.action}
      id={STEP_FORM_ID}
      class={`step step-${screen.state}`}
      aria-busy={busy ? 'true' : undefined}
      data-step={screen.state}
    >
      <input type="hidden" name="conversation" value={JSON.stringify(saved)} />
      {page.staff && <input type="hidden" name="_csrf" value={page.staff.csrf} />}
      {screen.progress && (
        <div class="progress">
          <Say
            id={`${screen.progress.extra ? 'progressExtra' : 'progress'}#${screen.progress.current}`}
            text={t(screen.progress.extra ? 'progressExtra' : 'progress', { current: screen.progress.current, total: screen.progress.total })}
            as="span"
          />
          <progress max={screen.progress.total} value={screen.progress.current} aria-hidden="true" />
        </div>
      )}
      <div class="step-icon">
        <Icon name={meta.icon} class="icon step-pictogram" />
      </div>
      <Say id={title} text={t(title)} as="h1" elementId="step-title" class="step-title" tabIndex={-1} />
      {body && <Say id={body} text={t(body)} class="step-body" />}
      {screen.state === 'welcome' && <Say id={page.length.clip} text={page.length.text} class="step-body" />}
      {meta.extra && <Say id="extraOptional" text={t('extraOptional')} class="hint" />}
      {after && screen.state === 'consent' && <after.ReadBack screen={screen} t={t} />}
      {meta.kind === 'language' && <LanguageList page={page} />}
      {meta.kind === 'choice' && <ChoiceButtons screen={screen} t={t} selected={selected} native={page.nativeNames} />}
      {meta.kind === 'multi' && <MultiChoice screen={screen} t={t} />}
      {(meta.kind === 'phone' || meta.kind === 'text') && <TextField screen={screen} t={t} />}
      {screen.state === 'urgentInfo' && open && (
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
      {after && screen.state === 'done' && <after.Done screen={screen} page={page} t={t} />}
      {after && screen.state === 'thanks' && <after.Thanks screen={screen} page={page} t={t} />}
      {after && screen.state === 'queued' && <after.Queued waiting={waiting} t={t} />}
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
          {meta.extra && (
            <button type="submit" name="event" value="FINISH" class="secondary" formNoValidate>
              {t('nav.finish')}
            </button>
          )}
          {meta.kind !== 'end' && screen.state !== 'language' && !meta.extra && (
            <button type="submit" name="event" value="RESTART" class="link" formNoValidate>
              {t('nav.restart')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}
