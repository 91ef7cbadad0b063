// SPDX-License-Identifier: EUPL-1.2
/**
 * Opening a personal link (/s/<code>): a valid code is counted and handed to the conversation
 * in a cookie; an unknown, mistyped or expired one gets the same friendly page, which never
 * tells whether the code exists. Failed lookups are rate limited per client network.
 */
import { normaliseInviteCode } from '../lib/invite-code.ts';
import type { Municipality } from '../lib/municipality.ts';
import { escapeHtml } from './invite-print.ts';
import { allMunicipalities } from './municipalities.ts';
import { clientKey, hitLimit, type Limit } from './rate-limit.ts';
import { getStore, publicUrl } from './runtime.ts';
import type { Store } from './store/index.ts';
import { findInviteByCode, getInvite, recordInviteOpened, type Invite } from './store/invites.ts';

export const INVITE_COOKIE = 'hg_invite';
/** A day: long enough to finish the conversation later that day, short on a shared phone. */
const COOKIE_MAX_AGE = 24 * 60 * 60;
/** More than 20 failed lookups in 10 minutes from one network: 429. */
export const FAILED_LOOKUPS: Limit = { max: 20, windowMs: 10 * 60_000 };
/** One link opened more than 50 times in an hour has been shared or is being hammered: 429. */
export const OPENS_PER_INVITE: Limit = { max: 50, windowMs: 60 * 60_000 };

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // The code is in this page's address; the links on it lead to other sites.
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  // Plain HTML with inline CSS and one form: nothing else may load or run.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** GET /s/<code> and GET /s/?code=… (the form on the page). */
export async function openInviteLink(
  request: Request,
  rawCode: string | null,
  clientAddress: string | undefined,
): Promise<Response> {
  const store = await getStore();
  if (rawCode === null || rawCode.trim() === '') return page(store, 'enter', 200);
  const now = Date.now();
  const at = new Date(now).toISOString();
  const code = normaliseInviteCode(rawCode);
  const invite = code ? await findInviteByCode(store, code) : undefined;
  if (invite && invite.expiresAt > at) {
    const opens = await hitLimit(store, `invite-open:${invite.id}`, OPENS_PER_INVITE, now);
    if (opens.limited) return page(store, 'tooMany', 429, opens.retryAfterSeconds);
    // HEAD (link checkers of phone networks and mail filters) is answered alike but not counted
    // as an opening; it does count for both limits, or it would be a way to guess without them.
    if (request.method === 'HEAD') return redirectInto(request, invite);
    // Conditional on still being valid, so an invitation expiring this very moment is not counted.
    if (await recordInviteOpened(store, invite.id, at)) return redirectInto(request, invite);
  }
  // Valid codes never reach this counter, so a household behind one address whose neighbour
  // mistyped twenty times can still open its own link.
  const failures = await hitLimit(store, `code-fail:${clientKey(clientAddress)}`, FAILED_LOOKUPS, now);
  if (failures.limited) return page(store, 'tooMany', 429, failures.retryAfterSeconds);
  return page(store, 'notWorking', 200);
}

function redirectInto(request: Request, invite: Invite): Response {
  const secure = new URL(request.url).protocol === 'https:' || publicUrl().startsWith('https:');
  const cookie = [
    `${INVITE_COOKIE}=${invite.id}`,
    'Path=/',
    `Max-Age=${COOKIE_MAX_AGE}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ];
  return new Response(null, {
    status: 303,
    headers: {
      // /<municipality>/ picks the language from the browser's preferences.
      Location: `/${invite.municipality}/`,
      'Set-Cookie': cookie.join('; '),
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
}

/** The invitation the cookie names, if it is this municipality's and still valid. */
export async function inviteFromCookie(store: Store, request: Request, municipality: string): Promise<Invite | null> {
  const id = cookieValue(request.headers.get('cookie'), INVITE_COOKIE);
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const invite = await getInvite(store, id);
  if (!invite || invite.municipality !== municipality || invite.expiresAt <= new Date().toISOString()) return null;
  return invite;
}

export function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

type PageKind = 'enter' | 'notWorking' | 'tooMany';

const CSS = `
body { margin: 0; font: 1.2rem/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; }
main { max-width: 38rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.2; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
label { display: block; font-weight: 600; margin-bottom: .4rem; }
input { font: inherit; font-family: ui-monospace, monospace; letter-spacing: .05em; width: 100%; max-width: 20rem;
  padding: .6rem; border: 2px solid #333; border-radius: .4rem; box-sizing: border-box; text-transform: uppercase; }
button { font: inherit; font-weight: 600; margin-top: .6rem; padding: .6rem 1.4rem; border: 0; border-radius: .4rem;
  background: #154273; color: #fff; min-height: 3rem; cursor: pointer; }
ul { list-style: none; padding: 0; }
li { padding: .8rem 0; border-top: 1px solid #ccc; }
a { color: #154273; font-weight: 600; }
:focus-visible { outline: 3px solid #ffb612; outline-offset: 2px; }
[lang="en"] { color: #444; }
`;

const TEXT: Record<PageKind, { title: string; nl: string[]; en: string }> = {
  enter: {
    title: 'Typ de code van je brief',
    nl: ['Op je brief of in je sms staat een code. Typ die hieronder. Hoofdletters of streepjes maken niet uit.'],
    en: 'Type the code from your letter or text message above. Capitals and dashes do not matter. Or start the conversation with your municipality above, without a code.',
  },
  notWorking: {
    title: 'Deze link werkt niet',
    nl: [
      'Misschien is de link te oud. Of er ging iets mis bij het overtypen. Dat kan gebeuren.',
      'Typ de code van je brief of sms nog een keer. Of begin het gesprek hieronder zonder code.',
    ],
    en: 'This link does not work. It may be too old, or something went wrong when it was typed over. Type the code from your letter or text message again, or start the conversation with your municipality above, without a code.',
  },
  tooMany: {
    title: 'Even wachten',
    nl: [
      'Er is te vaak een code geprobeerd.',
      'Probeer het later nog een keer. Of begin het gesprek hieronder zonder code. Bellen kan ook.',
    ],
    en: 'A code was tried too often. Please try again later, or start the conversation with your municipality above, without a code. You can also call.',
  },
};

async function page(store: Store, kind: PageKind, status: number, retryAfterSeconds?: number): Promise<Response> {
  const municipalities = await allMunicipalities(store);
  const headers: Record<string, string> = { ...PAGE_HEADERS };
  let wait = '';
  if (retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(retryAfterSeconds);
    const minutes = Math.ceil(retryAfterSeconds / 60);
    wait = `<p>Over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} kan het weer.</p>`;
  }
  return new Response(renderPage(kind, municipalities, wait), { status, headers });
}

/**
 * The same bytes for every code that does not work (nothing of the code is echoed), so the
 * page cannot tell an unknown code from an expired one or name a municipality it belongs to.
 */
function renderPage(kind: PageKind, municipalities: readonly Municipality[], wait: string): string {
  const text = TEXT[kind];
  const list = municipalities
    .map(
      (m) =>
        `<li><a href="/${escapeHtml(m.slug)}/">${escapeHtml(m.name)}: begin het gesprek</a><br>` +
        `Of bel <a href="tel:${escapeHtml(m.phone)}">${escapeHtml(m.phoneDisplay)}</a></li>`,
    )
    .join('');
  const form =
    kind === 'tooMany'
      ? ''
      : `<form method="get" action="/s/"><label for="code">Code van je brief of sms</label>` +
        `<input id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40">` +
        `<button type="submit">Verder</button></form>`;
  return (
    `<!doctype html><html lang="nl" dir="ltr"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(text.title)} · Hulpgesprek</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">` +
    `<style>${CSS}</style></head><body><main>` +
    `<h1>${escapeHtml(text.title)}</h1>${text.nl.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${wait}${form}` +
    `<h2>Begin het gesprek zonder code</h2><ul>${list}</ul>` +
    `<p lang="en">${escapeHtml(text.en)}</p>` +
    `</main></body></html>`
  );
}
