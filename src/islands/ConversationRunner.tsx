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
import type * as WaitingRequests from '../lib/waiting-requests.ts';
import { registerServiceWorker } from './pwa.ts';
import { StepScreen, type PageInfo, type WaitingView } from './StepScreen.tsx';

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

/** While a request waits and the page is open, it is tried again after these pauses (then every 5 min). */
const RETRY_AFTER_MS = [15_000, 30_000, 60_000, 120_000, 300_000];

type WaitingModule = typeof WaitingRequests;
let waitingModule: Promise<WaitingModule> | null = null;
/** The device's queue (IndexedDB) loads only when something may wait: most residents never need it. */
function queueModule(): Promise<WaitingModule> {
  return (waitingModule ??= import('../lib/waiting-requests.ts').catch((error: unknown) => {
    waitingModule = null;
    throw error;
  }));
}

/** Set while a request may wait on this device (the service worker may deliver it unseen: then it is stale, and cleared). */
const MAY_WAIT_KEY = 'hulpgesprek:may-wait';
function mayWait(): boolean {
  try {
    return localStorage.getItem(MAY_WAIT_KEY) === '1';
  } catch {
    return false;
  }
}
function setMayWait(on: boolean): void {
  try {
    if (on) localStorage.setItem(MAY_WAIT_KEY, '1');
    else localStorage.removeItem(MAY_WAIT_KEY);
  } catch {
    // no storage: nothing can wait either
  }
}

/** Where the conversation is not in progress, a new service worker may take over. */
function isIdle(saved: SavedConversation): boolean {
  return saved.state === 'language' || saved.state === 'welcome' || isFinished(saved);
}

export default function ConversationRunner({ initial, resumeFromDevice, page, strings, clips }: RunnerProps) {
  const t = useMemo(() => stringsFrom(strings), [strings]);
  const [saved, setSaved] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [running, setRunning] = useState(false);
  const [slower, setSlower] = useState(false);
  const speech = useSpeech(clips, page.lang, slower, running, t);
  const hydrated = useRef(false);
  const root = useRef<HTMLDivElement>(null);
  const current = useRef(saved);
  current.current = saved;
  /** the request of this conversation waiting on the device (queued step) */
  const [waiting, setWaiting] = useState<WaitingView | null>(null);
  /** ids of other conversations' requests still waiting on this device */
  const [othersWaiting, setOthersWaiting] = useState<string[]>([]);

  const staffMode = page.staff !== undefined;

  function errorsFrom(invalidParams: { name: string; code: string }[] | undefined): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const p of invalidParams ?? []) {
      const key = `${p.name}.${p.code}`;
      errors[p.name] = strings[`errors.${key}`] ? key : 'generic';
    }
    if (Object.keys(errors).length === 0) errors.network = 'generic';
    return errors;
  }

  function moveTo(next: SavedConversation): void {
    current.current = next;
    setSaved(next);
  }

  /** The request was found neither waiting nor delivered at the last look. */
  const missing = useRef(false);

  /** Brings the conversation up to date with what happened to its waiting request. */
  async function reconcileNow(): Promise<void> {
    const q = await queueModule();
    listen(q);
    const now = current.current;
    if (now.state === 'queued') {
      let delivered = await q.deliveredNote(now.id);
      const request = delivered ? undefined : await q.getWaiting(now.id);
      // Delivery moves a request from "waiting" to "delivered" in one transaction, but these are
      // two reads: if it happened between them, the note is there now.
      if (!delivered && !request) delivered = await q.deliveredNote(now.id);
      if (delivered) {
        setWaiting(null);
        moveTo(applyEvent(now, { type: 'SENT', reference: delivered.reference, ...(delivered.requestId ? { requestId: delivered.requestId } : {}) }));
      } else if (request?.status === 'rejected') {
        // The server refused it: back to the step to correct, with the answers as they were.
        await q.discardWaiting(now.id);
        setWaiting(null);
        moveTo(applyEvent(request.conversation, { type: 'FAILED', errors: errorsFrom(request.invalidParams) }));
      } else if (request) {
        setWaiting({ phone: request.conversation.context.phone, firstName: request.conversation.context.firstName, trying: false });
      } else if (missing.current) {
        // deleted in another tab (or the browser cleared its storage): nothing will be sent
        setWaiting(null);
        moveTo(applyEvent(now, { type: 'DISCARD' }));
      } else {
        // Not seen twice in a row yet: a delivery may be moving it right now. Look again soon.
        missing.current = true;
        setTimeout(() => void reconcile().catch(() => undefined), 1000);
        return;
      }
      missing.current = false;
    }
    const all = await q.listWaiting();
    if (all.length === 0) setMayWait(false);
    setOthersWaiting(all.filter((r) => r.municipality === page.municipalitySlug && r.id !== current.current.id).map((r) => r.id));
  }

  /** News from the service worker (or another tab) that a request was delivered or refused. */
  const channel = useRef<BroadcastChannel | null>(null);
  function listen(q: WaitingModule): void {
    if (channel.current || typeof BroadcastChannel === 'undefined') return;
    channel.current = new BroadcastChannel(q.CHANNEL_NAME);
    channel.current.onmessage = () => void reconcile().catch(() => undefined);
  }

  /** One at a time: page open, `online`, the service worker's news and the retry timer all ask. */
  const reconciling = useRef<Promise<void>>(Promise.resolve());
  function reconcile(): Promise<void> {
    reconciling.current = reconciling.current.then(reconcileNow, reconcileNow);
    return reconciling.current;
  }

  async function deliverNow(): Promise<void> {
    setWaiting((w) => (w ? { ...w, trying: true } : w));
    try {
      await (await queueModule()).deliverWaiting();
    } finally {
      await reconcile();
    }
  }

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
      if (handed) moveTo(handed);
    } else if (resumeFromDevice) {
      const stored = readDevice(page.storageKey, false);
      // A new personal link starts a new conversation: the one on the device was for another letter.
      const sameInvite = !initial.context.inviteId || stored?.context.inviteId === initial.context.inviteId;
      if (stored && stored.state !== 'language' && sameInvite) moveTo(stored);
    }
    try {
      setSlower(localStorage.getItem(SLOWER_KEY) === '1');
    } catch {
      // no storage: normal speed
    }
    hydrated.current = true;
    setRunning(true);
    document.documentElement.dataset.hydrated = 'true';
    if (staffMode) return undefined;
    // a shared tablet keeps nothing, so it neither installs the app nor keeps requests waiting
    registerServiceWorker(page.languages.map((l) => l.action));
    // Every page open and every `online` event tries what waits (iOS Safari has no Background Sync).
    const tryAll = () => {
      if (mayWait() || current.current.state === 'queued') void deliverNow().catch(() => undefined);
    };
    tryAll();
    window.addEventListener('online', tryAll);
    return () => {
      window.removeEventListener('online', tryAll);
      channel.current?.close();
    };
  }, []);

  useEffect(() => {
    if (saved.state !== 'queued' || !hydrated.current) return undefined;
    // The server may be unreachable while the phone is online (no `online` event): keep trying.
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout>;
    const again = () => {
      timer = setTimeout(
        () => {
          attempt += 1;
          void deliverNow()
            .catch(() => undefined)
            .finally(again);
        },
        RETRY_AFTER_MS[Math.min(attempt, RETRY_AFTER_MS.length - 1)],
      );
    };
    void reconcile().catch(() => undefined);
    again();
    return () => clearTimeout(timer);
  }, [saved.state, saved.id]);

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
    // The first run after hydration still holds the server's fresh conversation while the one
    // resumed from the device is on its way: writing it would overwrite the resident's answers.
    if (saved !== current.current) return;
    document.documentElement.dataset.conversationIdle = String(isIdle(saved));
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
    // Without a service worker to hand it out offline, the queue is fetched before it may be needed.
    if (saved.state === 'consent' && !staffMode && !navigator.serviceWorker?.controller) void queueModule().catch(() => undefined);
  }, [saved]);

  /** Offline or the server is unreachable: the request waits on the device and goes when it can. */
  async function queue(sending: SavedConversation): Promise<boolean> {
    if (staffMode) return false;
    let q: WaitingModule;
    try {
      q = await queueModule();
      await q.keepWaiting({
        id: sending.id,
        municipality: page.municipalitySlug,
        url: page.apiPath,
        body: JSON.stringify(callbackBody(sending, page.municipalitySlug, page.lang)),
        conversation: sending,
      });
    } catch {
      // no IndexedDB (private mode): the resident must try again by hand
      return false;
    }
    setMayWait(true);
    listen(q);
    void q.askToDeliverLater();
    return true;
  }

  async function send(sending: SavedConversation) {
    setBusy(true);
    try {
      let res: Response | null = null;
      try {
        res = await fetch(page.apiPath, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': sending.id },
          body: JSON.stringify(callbackBody(sending, page.municipalitySlug, page.lang)),
        });
      } catch {
        res = null;
      }
      const body = res
        ? ((await res.json().catch(() => ({}))) as {
            id?: string;
            reference?: string;
            invalidParams?: { name: string; code: string }[];
          })
        : {};
      if (res?.ok && body.reference) {
        setSaved(
          applyEvent(sending, { type: 'SENT', reference: body.reference, ...(body.id ? { requestId: body.id } : {}) }),
        );
      } else if (res && res.status === 422 && body.invalidParams) {
        setSaved(applyEvent(sending, { type: 'FAILED', errors: errorsFrom(body.invalidParams) }));
      } else if ((!res || res.status >= 500 || res.status === 429) && (await queue(sending))) {
        setSaved(applyEvent(sending, { type: 'QUEUED' }));
      } else {
        setSaved(applyEvent(sending, { type: 'FAILED', errors: { network: 'network' } }));
      }
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
    if (eventName === 'RETRY') {
      void deliverNow().catch(() => undefined);
      return;
    }
    if (eventName === 'DISCARD') {
      const discarded = applyEvent(saved, { type: 'DISCARD' });
      void queueModule()
        .then((q) => q.discardWaiting(saved.id))
        .catch(() => undefined)
        .finally(() => {
          setWaiting(null);
          setSaved(discarded);
        });
      return;
    }
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
  const [callBefore = '', callAfter = ''] = t('talkNow.call')
    .replace(/[\u2066-\u2069]/g, '')
    .replace(/\u00a0/g, ' ')
    .split(m.phoneDisplay);
  return (
    <SpeechContext.Provider value={speech}>
      <div ref={root} onSubmit={onSubmit as never} class="runner">
        <div class="toolbar">
          {/* rendered on the server too, so nothing moves when it appears; hidden (CSS) until it works */}
          <button type="button" class="slower" aria-pressed={slower ? 'true' : 'false'} onClick={toggleSlower}>
            <Icon name="ui-clock" class="icon icon-inline" /> {t('listen.slower')}
          </button>
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
        {othersWaiting.length > 0 && screen.state !== 'queued' && (
          <div class="waiting-banner" role="status">
            <Say id="waiting.banner" text={t('waiting.banner')} />
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void queueModule()
                  .then((q) => Promise.all(othersWaiting.map((id) => q.discardWaiting(id))))
                  .finally(() => setOthersWaiting([]))
              }
            >
              <Icon name="ui-trash" class="icon icon-inline" /> {t('waiting.delete')}
            </button>
          </div>
        )}
        <StepScreen saved={saved} screen={screen} page={page} t={t} busy={busy} waiting={waiting} />
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
