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
import { StepScreen, type PageInfo } from './StepScreen.tsx';

export interface RunnerProps {
  initial: SavedConversation;
  /** false when the server just handled a form post: its state is the newest */
  resumeFromDevice: boolean;
  page: PageInfo & { municipalitySlug: string; apiPath: string; progressPath: string; storageKey: string };
  strings: StringTable;
}

function readDevice(key: string): SavedConversation | null {
  try {
    return parseSaved(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function writeDevice(key: string, saved: SavedConversation): void {
  try {
    // Once the request is stored, the phone number and name have no reason to stay on the device.
    localStorage.setItem(key, JSON.stringify(isFinished(saved) ? withoutPersonalData(saved) : saved));
  } catch {
    // Private mode or full storage: the conversation still works, it just cannot resume.
  }
}

export default function ConversationRunner({ initial, resumeFromDevice, page, strings }: RunnerProps) {
  const t = useMemo(() => stringsFrom(strings), [strings]);
  const [saved, setSaved] = useState(initial);
  const [busy, setBusy] = useState(false);
  const hydrated = useRef(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (resumeFromDevice) {
      const stored = readDevice(page.storageKey);
      if (stored && stored.state !== 'language') setSaved(stored);
    }
    hydrated.current = true;
    document.documentElement.dataset.hydrated = 'true';
  }, []);

  useEffect(() => {
    if (!hydrated.current) return;
    writeDevice(page.storageKey, saved);
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
      const body = (await res.json()) as { reference?: string; invalidParams?: { name: string; code: string }[] };
      if (res.ok && body.reference) {
        setSaved(applyEvent(current, { type: 'SENT', reference: body.reference }));
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
      writeDevice(page.storageKey, next);
      window.location.assign(target);
      return;
    }
    if (event?.type === 'RESTART') {
      setSaved({ ...next, id: crypto.randomUUID() });
      return;
    }
    setSaved(next);
  }

  const screen = screenOf(saved);
  return (
    <div ref={root} onSubmit={onSubmit as never} class="runner">
      <details class="language-switch">
        <summary>
          <Icon name="ui-language" class="icon icon-inline" /> {t('language.change')}
        </summary>
        <form method="post" action={page.action} class="language-menu">
          <input type="hidden" name="conversation" value={JSON.stringify(saved)} />
          {page.languages.map((l) => (
            <button type="submit" name="event" value="STAY" formAction={l.action} lang={l.code} dir={l.dir} key={l.code} aria-current={l.code === page.lang ? 'true' : undefined}>
              {l.name}
            </button>
          ))}
        </form>
      </details>
      <StepScreen saved={saved} screen={screen} page={page} t={t} busy={busy} />
    </div>
  );
}
