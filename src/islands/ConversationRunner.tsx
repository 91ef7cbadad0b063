// SPDX-License-Identifier: EUPL-1.2
/**
 * The conversation island: runs the flow machine in the browser, keeps answers on the device
 * (a reload resumes), and sends the call-back request. Without it, the same forms post to the
 * server, which runs the same machine.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  applyEvent,
  callbackBody,
  startConversation,
  eventFromForm,
  isFinished,
  parseSaved,
  progressReport,
  screenOf,
  withoutPersonalData,
  type SavedConversation,
} from '../lib/conversation.ts';
import { stringsFrom, type StringTable } from '../lib/strings.ts';
import { Icon } from './Icon.tsx';
import { Say, SpeechContext, useSpeech } from './Listen.tsx';
import { StepScreen, type PageInfo } from './StepScreen.tsx';

export interface RunnerProps {
  initial: SavedConversation;
  /** false when the server just handled a form post: its state is the newest */
  resumeFromDevice: boolean;
  page: PageInfo & { municipalitySlug: string; apiPath: string; progressPath: string; storageKey: string };
  strings: StringTable;
  /** text key → audio clip URL, for this language and municipality */
  clips: Record<string, string>;
}

/**
 * A resident's own phone keeps the conversation (localStorage) so a reload resumes. A shared
 * tablet (staff mode) keeps nothing: only a language switch hands the answers to the next page
 * through sessionStorage, which that page reads once and deletes.
 */
function storageFor(staffMode: boolean): Storage | null {
  try {
    return staffMode ? sessionStorage : localStorage;
  } catch {
    return null;
  }
}

function readDevice(key: string, staffMode: boolean): SavedConversation | null {
  const storage = storageFor(staffMode);
  const saved = parseSaved(storage?.getItem(key) ?? null);
  if (staffMode) storage?.removeItem(key);
  return saved;
}

function writeDevice(key: string, saved: SavedConversation, staffMode: boolean): void {
  try {
    // Once the request is stored, the phone number and name have no reason to stay on the device.
    storageFor(staffMode)?.setItem(key, JSON.stringify(isFinished(saved) ? withoutPersonalData(saved) : saved));
  } catch {
    // Private mode or full storage: the conversation still works, it just cannot resume.
  }
}

/** Everything this portal left on a shared tablet, gone before the next resident. */
function wipeDevice(): void {
  for (const storage of [storageFor(false), storageFor(true)]) {
    if (!storage) continue;
    for (const key of Object.keys(storage)) if (key.startsWith('hulpgesprek:')) storage.removeItem(key);
  }
}

/** On a shared tablet, a conversation left alone this long is wiped. */
const STAFF_IDLE_MS = 5 * 60_000;

const SLOWER_KEY = 'hulpgesprek:slower';

export default function ConversationRunner({ initial, resumeFromDevice, page, strings, clips }: RunnerProps) {
  const t = useMemo(() => stringsFrom(strings), [strings]);
  const [saved, setSaved] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [running, setRunning] = useState(false);
  const [slower, setSlower] = useState(false);
  const speech = useSpeech(clips, page.lang, slower, running, t);
  const hydrated = useRef(false);
  const root = useRef<HTMLDivElement>(null);

  const staffMode = page.staff !== undefined;

  function startAfresh() {
    wipeDevice();
    setSaved(startConversation({ channel: 'staff' }));
  }

  useEffect(() => {
    if (!staffMode) return undefined;
    let timer = setTimeout(startAfresh, STAFF_IDLE_MS);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(startAfresh, STAFF_IDLE_MS);
    };
    for (const type of ['pointerdown', 'keydown', 'input']) window.addEventListener(type, touch);
    return () => {
      clearTimeout(timer);
      for (const type of ['pointerdown', 'keydown', 'input']) window.removeEventListener(type, touch);
    };
  }, []);

  useEffect(() => {
    if (staffMode) {
      // only a language switch hands over answers on a tablet
      const handed = readDevice(page.storageKey, true);
      if (handed) setSaved(handed);
    } else if (resumeFromDevice) {
      const stored = readDevice(page.storageKey, false);
      // A new personal link starts a new conversation: the one on the device was for another letter.
      const sameInvite = !initial.context.inviteId || stored?.context.inviteId === initial.context.inviteId;
      if (stored && stored.state !== 'language' && sameInvite) setSaved(stored);
    }
    try {
      setSlower(localStorage.getItem(SLOWER_KEY) === '1');
    } catch {
      // no storage: normal speed
    }
    hydrated.current = true;
    setRunning(true);
    document.documentElement.dataset.hydrated = 'true';
  }, []);

  function toggleSlower() {
    const next = !slower;
    setSlower(next);
    try {
      localStorage.setItem(SLOWER_KEY, next ? '1' : '0');
    } catch {
      // the choice just isn't remembered
    }
  }

  useEffect(() => {
    if (!hydrated.current) return;
    if (!staffMode) writeDevice(page.storageKey, saved, false);
    const report = progressReport(saved, page.municipalitySlug, page.lang);
    if (report) {
      void fetch(`${page.progressPath}/${saved.id}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(report),
        keepalive: true,
      }).catch(() => undefined);
    }
    const screen = screenOf(saved);
    document.title = `${t(screen.meta.title)} · ${page.municipality.name}`;
    root.current?.querySelector<HTMLElement>('#step-title')?.focus();
    if (saved.state === 'sending') void send(saved);
  }, [saved]);

  async function send(current: SavedConversation) {
    setBusy(true);
    try {
      const res = await fetch(page.apiPath, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': current.id },
        body: JSON.stringify(callbackBody(current, page.municipalitySlug, page.lang)),
      });
      const body = (await res.json()) as { id?: string; reference?: string; invalidParams?: { name: string; code: string }[] };
      if (res.ok && body.reference) {
        setSaved(applyEvent(current, { type: 'SENT', reference: body.reference, ...(body.id ? { requestId: body.id } : {}) }));
      } else if (res.status === 422 && body.invalidParams) {
        const errors: Record<string, string> = {};
        for (const p of body.invalidParams) {
          const key = `${p.name}.${p.code}`;
          errors[p.name] = strings[`errors.${key}`] ? key : 'generic';
        }
        setSaved(applyEvent(current, { type: 'FAILED', errors }));
      } else {
        setSaved(applyEvent(current, { type: 'FAILED', errors: { network: 'network' } }));
      }
    } catch {
      setSaved(applyEvent(current, { type: 'FAILED', errors: { network: 'network' } }));
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: SubmitEvent) {
    const form = e.target as HTMLFormElement;
    // only the conversation's own forms; the staff outcome form posts to the server as it is
    if (!form.matches('form.step, form.language-menu')) return;
    const submitter = e.submitter as HTMLButtonElement | null;
    e.preventDefault();
    if (busy) return;
    const data = new FormData(form, submitter);
    const screen = screenOf(saved);
    const eventName = data.get('event') as string | null;
    const event = eventFromForm(screen, {
      event: eventName ?? (data.has('answer') ? 'ANSWER' : null),
      value: (data.get('answer') as string | null) ?? null,
      values: data.getAll('answer') as string[],
    });
    const next = event ? applyEvent(saved, event) : saved;
    const target = submitter?.getAttribute('formaction');
    if (target && target !== page.action) {
      // Another language: its page loads that language's texts and resumes from the device.
      writeDevice(page.storageKey, next, staffMode);
      window.location.assign(target);
      return;
    }
    if (event?.type === 'RESTART') {
      if (staffMode) wipeDevice();
      setSaved({ ...next, id: crypto.randomUUID() });
      return;
    }
    setSaved(next);
  }

  const screen = screenOf(saved);
  const m = page.municipality;
  // the number is set apart below (bdi), so the isolates around it in right-to-left texts can go
  const [callBefore = '', callAfter = ''] = t('talkNow.call').replace(/[\u2066-\u2069]/g, '').replace(/\u00a0/g, ' ').split(m.phoneDisplay);
  return (
    <SpeechContext.Provider value={speech}>
      <div ref={root} onSubmit={onSubmit as never} class="runner">
        <div class="toolbar">
          {running && (
            <button type="button" class="slower" aria-pressed={slower ? 'true' : 'false'} onClick={toggleSlower}>
              <Icon name="ui-clock" class="icon icon-inline" /> {t('listen.slower')}
            </button>
          )}
          {screen.state !== 'language' && (
            <details class="language-switch">
              <summary>
                <Icon name="ui-language" class="icon icon-inline" /> {t('language.change')}
              </summary>
              <form method="post" action={page.action} class="language-menu">
                <input type="hidden" name="conversation" value={JSON.stringify(saved)} />
                {page.languages.map((l) => (
                  <button
                    type="submit"
                    name="event"
                    value="STAY"
                    formAction={l.action}
                    lang={l.code}
                    dir={l.dir}
                    key={l.code}
                    aria-current={l.code === page.lang ? 'true' : undefined}
                  >
                    {l.name}
                  </button>
                ))}
              </form>
            </details>
          )}
        </div>
        <StepScreen saved={saved} screen={screen} page={page} t={t} busy={busy} />
      {page.staff && screen.state === 'done' && saved.context.requestId && (
        <form method="post" action={page.staff.finishPath} class="staff-finish" lang="nl" dir="ltr">
          <h2>Voor de medewerker: afronden</h2>
          <input type="hidden" name="_csrf" value={page.staff.csrf} />
          <input type="hidden" name="request" value={saved.context.requestId} />
          <input type="hidden" name="next" value={page.staff.startPath} />
          <label for="staff-outcome">Uitkomst van dit gesprek</label>
          <select id="staff-outcome" name="outcome" required>
            {page.staff.outcomes.map((o) => (
              <option value={o.value} key={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <button type="submit" class="primary" onClick={() => wipeDevice()}>
            Opslaan, afsluiten en alles wissen
          </button>
        </form>
      )}
        <section class="talk-now" aria-labelledby="talk-now-title">
          <Say id="talkNow.title" text={t('talkNow.title')} as="h2" elementId="talk-now-title" />
          <a class="button call" href={`tel:${m.phone}`}>
            <Icon name="ui-phone" class="icon icon-inline" />
            <span>
              {callBefore}
              <bdi dir="ltr" class="phone-number">
              {m.phoneDisplay}
            </bdi>
              {callAfter}
            </span>
          </a>
          <Say id="talkNow.hours" text={m.hours} class="hours" />
        </section>
        {screen.state !== 'welcome' && <Say id="footer.noMoney" text={t('footer.noMoney')} class="no-money" />}
      </div>
    </SpeechContext.Provider>
  );
}
