// SPDX-License-Identifier: EUPL-1.2
/**
 * Listening: a button by every sentence and every choice plays its recorded or generated clip.
 * One tap plays, another stops; never autoplay; "slower" plays at 0.75×. Where a clip is missing
 * the browser's own voice is used only if it has one for the language; otherwise no button.
 * The buttons appear once the island runs (a listen button without JavaScript could do nothing).
 */
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Strings } from '../lib/strings.ts';
import { browserVoiceFor, voiceSource } from '../lib/voice.ts';
import { Icon } from './Icon.tsx';

export interface Speech {
  enabled: boolean;
  lang: string;
  playing: string | null;
  toggle: (id: string, text: string, sequence?: readonly string[]) => void;
  canSpeak: (id: string, sequence?: readonly string[]) => boolean;
  t: Strings;
}

export const SpeechContext = createContext<Speech>({
  enabled: false,
  lang: 'nl',
  playing: null,
  toggle: () => undefined,
  canSpeak: () => false,
  t: (k) => k,
});

function voices(): SpeechSynthesisVoice[] {
  return typeof speechSynthesis === 'undefined' ? [] : speechSynthesis.getVoices();
}

/** The player state of one island: a single audio element, so only one text plays at a time. */
export function useSpeech(
  clips: Record<string, string>,
  lang: string,
  slower: boolean,
  enabled: boolean,
  t: Strings,
): Speech {
  const [playing, setPlaying] = useState<string | null>(null);
  const [, setVoicesReady] = useState(0);
  const audio = useRef<HTMLAudioElement | null>(null);

  useEffect(() => {
    if (typeof speechSynthesis === 'undefined') return undefined;
    const update = () => setVoicesReady((n) => n + 1);
    speechSynthesis.addEventListener('voiceschanged', update);
    return () => speechSynthesis.removeEventListener('voiceschanged', update);
  }, []);

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = slower ? 0.75 : 1;
  }, [slower]);

  /** a pause between groups of a sequence (a phone number's digits) */
  const gap = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  function stop() {
    audio.current?.pause();
    clearTimeout(gap.current);
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
    setPlaying(null);
  }

  /** Plays clip URLs one after another; null is a short pause. */
  function playAll(id: string, urls: (string | null)[]) {
    const el = (audio.current ??= new Audio());
    let at = 0;
    const next = () => {
      if (urls[at] === null) {
        at++;
        gap.current = setTimeout(next, 250);
        return;
      }
      const url = urls[at++];
      if (url === undefined || url === null) return setPlaying(null);
      el.src = url;
      el.playbackRate = slower ? 0.75 : 1;
      el.play().catch(() => setPlaying(null));
    };
    el.onended = next;
    el.onerror = () => setPlaying(null);
    setPlaying(id);
    next();
  }

  function sequenceUrls(sequence: readonly string[]): (string | null)[] | null {
    const urls = sequence.map((c) => (c === '|' ? null : (clips[c] ?? undefined)));
    return urls.includes(undefined) ? null : (urls as (string | null)[]);
  }

  function toggle(id: string, text: string, sequence?: readonly string[]) {
    if (playing === id) return stop();
    stop();
    const single = clips[id];
    const urls = sequence ? sequenceUrls(sequence) : single ? [single] : null;
    if (urls) return playAll(id, urls);
    const voice = browserVoiceFor(voices(), lang);
    if (voice) {
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = slower ? 0.75 : 1;
      u.onend = () => setPlaying(null);
      setPlaying(id);
      speechSynthesis.speak(u);
    }
  }

  return {
    enabled,
    lang,
    playing,
    toggle,
    canSpeak: (id, sequence) => (sequence ? sequenceUrls(sequence) !== null : voiceSource(id, clips, voices(), lang) !== null),
    t,
  };
}

export function ListenButton({ id, text, sequence }: { id: string; text: string; sequence?: readonly string[] }) {
  const speech = useContext(SpeechContext);
  if (!speech.enabled || !speech.canSpeak(id, sequence)) return null;
  const active = speech.playing === id;
  return (
    <button
      type="button"
      class="listen"
      aria-pressed={active ? 'true' : 'false'}
      aria-label={`${speech.t(active ? 'listen.stop' : 'listen.play')}: ${text}`}
      onClick={() => speech.toggle(id, text, sequence)}
      data-clip={id}
    >
      <Icon name={active ? 'ui-stop' : 'ui-play'} class="icon" />
    </button>
  );
}

type Tag = 'p' | 'h1' | 'h2' | 'span' | 'strong' | 'legend' | 'label';

/**
 * One sentence of the screen with its listen button. `id` names its clip (the text key, or
 * e.g. `progress#3`); the text shows highlighted while it is read.
 */
export function Say({
  id,
  text,
  as: El = 'p',
  elementId,
  class: className,
  htmlFor,
  tabIndex,
}: {
  id: string;
  text: string;
  as?: Tag;
  elementId?: string;
  class?: string;
  htmlFor?: string;
  tabIndex?: number;
}) {
  const speech = useContext(SpeechContext);
  const reading = speech.playing === id;
  const classes = [className, reading ? 'reading' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="say">
      <El
        id={elementId}
        class={classes}
        {...(htmlFor ? { for: htmlFor } : {})}
        {...(tabIndex !== undefined ? { tabIndex } : {})}
      >
        {text}
      </El>
      <ListenButton id={id} text={text} />
    </div>
  );
}
