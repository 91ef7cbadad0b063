// SPDX-License-Identifier: EUPL-1.2
/**
 * The conversation island: runs the flow machine in the browser, keeps answers on the device
 * (a reload resumes), and sends the call-back request. Without it, the same forms post to the
 * server, which runs the same machine.
 */
import { ANSWERS } from '../../flows/answers.ts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  applyEvent,
  draftEvent,
  startConversation,
  eventFromForm,
  isFinished,
  isSent,
  parseSaved,
  progressReport,
  screenOf,
  withoutPersonalData,
  type SavedConversation,
} from '../lib/conversation.ts';
import { nextOpening, nextOpeningKey, openNow } from '../lib/opening-state.ts';
import { stringsFrom, type StringTable } from '../lib/strings.ts';
import { Icon } from './Icon.tsx';
import { ListenButton, Say, SpeechContext, useSpeech } from './Listen.tsx';
import type { WaitingDelivery, WaitingHost } from '../lib/waiting-delivery.ts';
import { laterStepsSlot } from './later-steps-slot.ts';
import type * as LaterStepsModule from './LaterSteps.tsx';
import type { LaterScreens } from './LaterSteps.tsx';
import type * as Tablet from './tablet.ts';
import { STEP_FORM_ID, StepScreen, type PageInfo, type WaitingView } from './StepScreen.tsx';

export interface RunnerProps {
  initial: SavedConversation;
  /** false when the server just handled a form post: its state is the newest */
  resumeFromDevice: boolean;
  page: PageInfo & { municipalitySlug: string; apiPath: string; progressPath: string; phonePath: string; clipsUrl: string; storageKey: string };
  strings: StringTable;
  /** clips of this page only (the check word of the resident's letter); the rest come from page.clipsUrl */
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
    const done = isFinished(saved) || isSent(saved);
    storageFor(staffMode)?.setItem(key, JSON.stringify(done ? withoutPersonalData(saved) : saved));
  } catch {
    // Private mode or full storage: the conversation still works, it just cannot resume.
  }
}

const SLOWER_KEY = 'hulpgesprek:slower';

/** While a request waits and the page is open, it is tried again after these pauses (then every 5 min). */
const RETRY_AFTER_MS = [15_000, 30_000, 60_000, 120_000, 300_000];

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

/** The steps before the help step: the island needs nothing of LaterSteps.tsx there yet. */
const EARLY_STATES = new Set(['language', 'welcome', 'topic', 'urgency', 'urgentInfo']);

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
  /** text key → clip URL for this language and municipality: fetched once the island runs (preloaded by the page) */
  const [table, setTable] = useState<Record<string, string>>({});
  const allClips = useMemo(() => ({ ...table, ...clips }), [table, clips]);
  const speech = useSpeech(allClips, page.lang, slower, running, t);
  const hydrated = useRef(false);
  const root = useRef<HTMLDivElement>(null);
  const current = useRef(saved);
  current.current = saved;
  /** the last change only kept what was typed or ticked: no step change, no progress report */
  const draftOnly = useRef(false);
  /** the optional answers the stored request already has (JSON of the last body it took) */
  const extrasSent = useRef<string | null>(null);
  /** the parts from the phone step on: the server's from the start, in the browser loaded from the help step */
  const [after, setAfter] = useState<LaterScreens | null>(laterStepsSlot.screens);
  const later = useRef<Promise<typeof LaterStepsModule> | null>(null);
  function laterSteps(): Promise<typeof LaterStepsModule> {
    return (later.current ??= import('./LaterSteps.tsx').then((m) => {
      setAfter(m.laterScreens({ Say, ListenButton, Icon }));
      document.documentElement.dataset.later = 'ready';
      return m;
    }));
  }
  useEffect(() => {
    if (!EARLY_STATES.has(saved.state)) void laterSteps().catch(() => (later.current = null));
  }, [saved.state]);
  /** the device's clock, renewed every half minute: the office may open or close while the page is open */
  // Hydration keeps the server's markup as it is: render what the server rendered (its clock) first,
  // then the phone's clock, so "open" or "closed" and when it opens again are drawn afresh.
  const [now, setNow] = useState(() => page.renderedAt);
  const open = openNow(page.schedule, now);
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

  /** What is typed or ticked is kept at once: a listen tap, a language switch or a reload loses nothing. */
  function onInput(e: Event) {
    const form = (e.target as Element | null)?.closest?.('form.step') as HTMLFormElement | null;
    if (!form || busy) return;
    const data = new FormData(form);
    const event = draftEvent(screenOf(current.current), {
      value: (data.get('answer') as string | null) ?? null,
      values: data.getAll('answer') as string[],
    });
    if (!event) return;
    draftOnly.current = true;
    moveTo(applyEvent(current.current, event));
  }

  /** Adds the optional answers to the stored request (again, with `force`); says on the screen whether that worked. */
  async function sendExtras(from: SavedConversation, force = false): Promise<void> {
    if (!from.context.requestId) return;
    const m = await laterSteps();
    const { body, ok } = await m.putExtras(page.apiPath, from, force ? null : extrasSent.current, ANSWERS);
    if (ok) extrasSent.current = body;
    if (current.current.context.extrasUnsaved === ok) moveTo(applyEvent(current.current, { type: 'EXTRAS_SAVED', ok }));
  }

  /** The device's queue (IndexedDB) and its delivery load only when something may wait: most residents never need them. */
  const delivering = useRef<Promise<WaitingDelivery> | null>(null);
  function delivery(): Promise<WaitingDelivery> {
    const host: WaitingHost = {
      municipality: page.municipalitySlug,
      current: () => current.current,
      apply: applyEvent,
      moveTo,
      showWaiting: setWaiting,
      showOthers: setOthersWaiting,
      errorsFrom,
      setMayWait,
    };
    return (delivering.current ??= import('../lib/waiting-delivery.ts')
      .then((m) => m.waitingDelivery(host))
      .catch((error: unknown) => {
        delivering.current = null;
        throw error;
      }));
  }
  const reconcile = () => delivery().then((d) => d.reconcile());
  const deliverNow = () => delivery().then((d) => d.deliverNow());

  /** On a shared tablet (staff mode only): the wipe before the next resident, and after 5 idle minutes. */
  const tablet = useRef<typeof Tablet | null>(null);
  const wipeDevice = () => tablet.current?.wipeDevice();
  useEffect(() => {
    if (!staffMode) return undefined;
    let stop: (() => void) | undefined;
    void import('./tablet.ts').then((m) => {
      tablet.current = m;
      stop = m.whenIdle(() => {
        m.wipeDevice();
        setSaved(startConversation({ channel: 'staff' }));
      });
    });
    return () => stop?.();
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
    void fetch(page.clipsUrl)
      .then((res) => (res.ok ? (res.json() as Promise<Record<string, string>>) : {}))
      .then(setTable)
      .catch(() => undefined);
    setNow(Date.now());
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    document.documentElement.dataset.hydrated = 'true';
    if (staffMode) return () => clearInterval(clock);
    // a shared tablet keeps nothing, so it neither installs the app nor keeps requests waiting
    // loaded apart: the service worker is registered after the page has loaded anyway
    const warmUrls = page.languages.map((l) => l.action);
    void import('./pwa.ts').then((m) => m.registerServiceWorker(warmUrls)).catch(() => undefined);
    // Every page open and every `online` event tries what waits (iOS Safari has no Background Sync).
    const tryAll = () => {
      if (mayWait() || current.current.state === 'queued') void deliverNow().catch(() => undefined);
    };
    tryAll();
    window.addEventListener('online', tryAll);
    return () => {
      clearInterval(clock);
      window.removeEventListener('online', tryAll);
      void delivering.current?.then((d) => d.close());
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
    if (draftOnly.current) {
      // only typed or ticked: the step stays, and so do focus and the counts
      draftOnly.current = false;
      return;
    }
    if (isSent(saved) && saved.state !== 'done') void sendExtras(saved);
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
    document.title = `${t(screen.state === 'done' && staffMode ? 'steps.done.titleTogether' : screen.meta.title)} · ${page.municipality.name}`;
    root.current?.querySelector<HTMLElement>('#step-title')?.focus();
    if (saved.state === 'sending') void send(saved);
    // Without a service worker to hand it out offline, the queue is fetched before it may be needed.
    if (saved.state === 'consent' && !staffMode && !navigator.serviceWorker?.controller) void delivery().catch(() => undefined);
  }, [saved]);

  /** Sends the request; offline or with the server unreachable it waits on the device and goes when it can. */
  async function send(sending: SavedConversation) {
    setBusy(true);
    try {
      const m = await laterSteps();
      const body = m.requestBody(sending, page.municipalitySlug, page.lang, ANSWERS);
      let outcome = await m.postRequest(page.apiPath, body, sending, errorsFrom);
      if (outcome === 'later') {
        const kept = !staffMode && (await delivery().then((d) => d.keep(sending, page.apiPath, body)).catch(() => false));
        outcome = kept ? { type: 'QUEUED' } : { type: 'FAILED', errors: { network: 'network' } };
      }
      setSaved(applyEvent(sending, outcome));
    } catch {
      setSaved(applyEvent(sending, { type: 'FAILED', errors: { network: 'network' } }));
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: SubmitEvent) {
    const form = e.target as HTMLFormElement;
    // only the conversation's own form; the staff outcome form posts to the server as it is
    if (!form.matches('form.step')) return;
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
    if (eventName === 'RETRY_EXTRAS') {
      void sendExtras(saved, true);
      return;
    }
    if (eventName === 'DISCARD') {
      const discarded = applyEvent(saved, { type: 'DISCARD' });
      void delivery()
        .then((d) => d.discard(saved.id))
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
    if (screen.state === 'phone' && event?.type === 'ENTER' && event.value.trim() !== '') {
      // checked by the server before going on, so a wrong number is explained here and now
      const typed = event.value;
      setBusy(true);
      void laterSteps()
        .then((m) => m.checkPhoneRemote(page.phonePath, typed))
        .catch((): { kind: 'unknown' } => ({ kind: 'unknown' }))
        .then((check) => {
          const at = current.current;
          if (at.state !== 'phone') return;
          if (check.kind === 'ok') moveTo(applyEvent(at, { type: 'ENTER', value: check.display }));
          else if (check.kind === 'invalid') moveTo(applyEvent(at, { type: 'REJECT', value: typed, errors: { phone: `phone.${check.code}` } }));
          else moveTo(applyEvent(at, { type: 'ENTER', value: typed }));
        })
        .finally(() => setBusy(false));
      return;
    }
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
  const next = open ? null : nextOpening(page.schedule, now);
  const reopensKey = next ? nextOpeningKey(next) : null;
  const reopens =
    next && reopensKey
      ? { clip: reopensKey.clip, text: t(reopensKey.key, { time: next.from, day: next.when === 'on' ? (page.weekdays[next.day - 1] ?? '') : '' }) }
      : null;
  // the number is set apart below (bdi), so the isolates around it in right-to-left texts can go
  const [callBefore = '', callAfter = ''] = t('talkNow.call')
    .replace(/[\u2066-\u2069]/g, '')
    .replace(/\u00a0/g, ' ')
    .split(m.phoneDisplay);
  return (
    <SpeechContext.Provider value={speech}>
      <div ref={root} onSubmit={onSubmit as never} onInput={onInput as never} class="runner">
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
              {/* the buttons submit the step's own form, so what is typed or ticked goes along */}
              <div class="language-menu">
                {page.languages.map((l) => (
                  <button
                    type="submit"
                    form={STEP_FORM_ID}
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
              </div>
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
                void delivery()
                  .then((d) => Promise.all(othersWaiting.map((id) => d.discard(id))))
                  .finally(() => setOthersWaiting([]))
              }
            >
              <Icon name="ui-trash" class="icon icon-inline" /> {t('waiting.delete')}
            </button>
          </div>
        )}
        <StepScreen saved={saved} screen={screen} page={page} t={t} busy={busy} waiting={waiting} open={open} after={after} />
        {after && page.staff && screen.state === 'done' && saved.context.requestId && (
          <after.StaffFinish staff={page.staff} requestId={saved.context.requestId} onFinish={wipeDevice} />
        )}
        <section class="talk-now" aria-labelledby="talk-now-title">
          {open ? (
            <>
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
            </>
          ) : (
            <>
              <Say id="talkNow.closedTitle" text={t('talkNow.closedTitle')} as="h2" elementId="talk-now-title" />
              {reopens && <Say id={reopens.clip} text={reopens.text} class="reopens" />}
              {/* the call-back instead: not once the request is in, or on the resident's own way out */}
              {!isSent(saved) && !isFinished(saved) && <Say id="talkNow.closed" text={t('talkNow.closed')} />}
            </>
          )}
          <Say id="talkNow.hours" text={m.hours} class="hours" />
        </section>
        {screen.state !== 'welcome' && <Say id="footer.noMoney" text={t('footer.noMoney')} class="no-money" />}
      </div>
    </SpeechContext.Provider>
  );
}
