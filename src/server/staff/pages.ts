// SPDX-License-Identifier: EUPL-1.2
/**
 * What each staff page needs, for GET and for its form posts (post, then redirect to a GET, so
 * a reload never repeats an action). The .astro files only render what these return.
 */
import { findMunicipality } from '../municipalities.ts';
import { appConfig, getStore } from '../runtime.ts';
import {
  completeEnrolment,
  enrolmentDetails,
  HOME_PATH,
  LOGIN_PATH,
  loginWithPassword,
  logout,
  verifySecondStep,
} from './auth.ts';
import { auditPageFor, parsePage, type AuditPage } from './audit-view.ts';
import { addCaseAttempt, CASES_PER_PAGE, casesFor, closeCaseWith, viewCase, type CaseDetail } from './cases.ts';
import { DEMO_STAFF_EMAIL } from './demo.ts';
import { can } from './nav.ts';
import {
  addContactAttempt,
  assignToMe,
  closeWithOutcome,
  queueFilterFrom,
  queueFor,
  requestSummary,
  viewRequest,
  type AttemptFields,
  type QueueItem,
  type RequestDetail,
} from './requests.ts';
import { clearSessionCookies, isSecure, sessionCookies, type StaffContext } from './session.ts';
import { st } from './texts.ts';

type Locals = App.Locals;

export type Early = { kind: 'response'; response: Response };

export interface Message {
  tone: 'status' | 'alert';
  text: string;
}

function seeOther(location: string, cookies: readonly string[] = []): Early {
  const headers = new Headers({ Location: location });
  for (const c of cookies) headers.append('Set-Cookie', c);
  return { kind: 'response', response: new Response(null, { status: 303, headers }) };
}

async function formOf(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await request.text());
}

/** The gate sets `staff` on every page that needs it; a page without it is a wiring mistake. */
export function requireStaff(locals: Locals): StaffContext {
  if (!locals.staff) throw new Error('A staff page ran without the staff gate (src/middleware.ts)');
  return locals.staff;
}

export interface LoginPage {
  kind: 'page';
  status: number;
  csrf: string;
  message: Message | null;
  email: string;
  /** the demo account, while SEED_DEMO is on (never on an https PUBLIC_URL) */
  demoEmail: string | null;
}

export async function loginPage(request: Request, locals: Locals, url: URL): Promise<LoginPage | Early> {
  const demoEmail = appConfig().demoStaff ? DEMO_STAFF_EMAIL : null;
  if (request.method === 'POST') {
    const form = await formOf(request);
    const email = form.get('email') ?? '';
    const result = await loginWithPassword(await getStore(), {
      email,
      password: form.get('password') ?? '',
      userAgent: request.headers.get('user-agent'),
      now: new Date(),
    });
    if (result.ok) return seeOther(result.next, sessionCookies(result.token, isSecure(request)));
    // The gate checked the CSRF pair on this post; the form shows again with the same token.
    const csrf = form.get('_csrf') ?? '';
    return { kind: 'page', status: 401, csrf, message: { tone: 'alert', text: st('login.failed') }, email: email.slice(0, 254), demoEmail };
  }
  const reason = url.searchParams.get('verlopen');
  const message: Message | null =
    reason === 'formulier'
      ? { tone: 'alert', text: st('login.formExpired') }
      : reason === 'sessie'
        ? { tone: 'status', text: st('login.sessionEnded') }
        : url.searchParams.has('uitgelogd')
          ? { tone: 'status', text: st('login.loggedOut') }
          : null;
  return { kind: 'page', status: 200, csrf: locals.staffLoginCsrf ?? '', message, email: '', demoEmail };
}

export interface CodePage {
  kind: 'page';
  status: number;
  staff: StaffContext;
  message: Message | null;
}

export async function secondStepPage(request: Request, locals: Locals): Promise<CodePage | Early> {
  const staff = requireStaff(locals);
  if (request.method !== 'POST') return { kind: 'page', status: 200, staff, message: null };
  const form = await formOf(request);
  const result = await verifySecondStep(await getStore(), staff, {
    code: form.get('code') ?? '',
    userAgent: request.headers.get('user-agent'),
    now: new Date(),
  });
  if (result.ok) return seeOther(HOME_PATH, sessionCookies(result.token, isSecure(request)));
  if (result.sessionEnded) return seeOther(LOGIN_PATH, clearSessionCookies(isSecure(request)));
  return { kind: 'page', status: 401, staff, message: { tone: 'alert', text: st('secondStep.failed') } };
}

export interface EnrolPage extends CodePage {
  qrSvg: string;
  secret: string;
}

export async function enrolPage(request: Request, locals: Locals): Promise<EnrolPage | Early> {
  const staff = requireStaff(locals);
  const store = await getStore();
  let message: Message | null = null;
  let status = 200;
  if (request.method === 'POST') {
    const form = await formOf(request);
    const result = await completeEnrolment(store, staff, {
      code: form.get('code') ?? '',
      userAgent: request.headers.get('user-agent'),
      now: new Date(),
    });
    if (result.ok) return seeOther(HOME_PATH, sessionCookies(result.token, isSecure(request)));
    if (result.sessionEnded) return seeOther(LOGIN_PATH, clearSessionCookies(isSecure(request)));
    message = { tone: 'alert', text: st('enrol.failed') };
    status = 401;
  }
  const details = await enrolmentDetails(store, staff);
  // Enrolled meanwhile (another tab): the second step is the way in now.
  if (!details) return seeOther('/staff/login/tweede-stap');
  return { kind: 'page', status, staff, message, ...details };
}

/** POST /staff/uitloggen */
export async function logoutResponse(request: Request, locals: Locals): Promise<Response> {
  const staff = requireStaff(locals);
  await logout(await getStore(), staff, new Date());
  return seeOther(`${LOGIN_PATH}?uitgelogd=1`, clearSessionCookies(isSecure(request))).response;
}

export interface QueuePage {
  kind: 'page';
  staff: StaffContext;
  items: QueueItem[];
  total: number;
  page: number;
  pages: number;
  /** the filters as the form sends them, to keep in the page links */
  query: URLSearchParams;
  municipalityChoices: { slug: string; name: string }[];
  /** more than one municipality: the queue shows which one each request is for */
  showMunicipality: boolean;
}

/** /staff: one page (50) of the queue, narrowed by the form's filters (status, urgent, mine, language, municipality, signal partner). */
export async function queuePage(locals: Locals, url: URL): Promise<QueuePage> {
  const staff = requireStaff(locals);
  const filter = queueFilterFrom(url.searchParams, staff);
  const { items, total, page, pages } = await queueFor(await getStore(), staff, { filter, page: parsePage(url.searchParams.get('pagina'), 100_000) });
  const query = new URLSearchParams([...url.searchParams].filter(([k, v]) => k !== 'pagina' && v !== ''));
  const names = await municipalityNames(staff.municipalities);
  return {
    kind: 'page',
    staff,
    items,
    total,
    page,
    pages,
    query,
    municipalityChoices: staff.municipalities.map((slug, i) => ({ slug, name: names[i] ?? slug })),
    showMunicipality: staff.municipalities.length > 1,
  };
}

export interface RequestPage {
  kind: 'page';
  staff: StaffContext;
  request: RequestDetail;
  message: Message | null;
}

const DONE = { assigned: 'detail.done.assigned', attempt: 'detail.done.attempt', closed: 'detail.done.closed' } as const;
const ERRORS = { closed: 'detail.errors.closed', invalid: 'detail.errors.invalid', invalidDate: 'detail.errors.date' } as const;

/** The fields of the attempt form (the request page and the case page share it). */
export function attemptForm(form: URLSearchParams): AttemptFields {
  return { kind: form.get('kind'), result: form.get('result'), noteCode: form.get('note'), date: form.get('date'), dayPart: form.get('dayPart') };
}

export async function requestPage(request: Request, locals: Locals, id: string, url: URL): Promise<RequestPage | Early | { kind: 'notFound'; staff: StaffContext }> {
  const staff = requireStaff(locals);
  const store = await getStore();
  const self = `/staff/verzoeken/${id}`;
  if (request.method === 'POST') {
    // Not theirs (or no such request): 404 whatever the form says, before anything else.
    if (!(await requestSummary(store, staff, id))) return { kind: 'notFound', staff };
    const form = await formOf(request);
    const action = form.get('action');
    const result =
      action === 'assign'
        ? await assignToMe(store, staff, id, 'staff-ui')
        : action === 'attempt'
          ? await addContactAttempt(store, staff, id, attemptForm(form), 'staff-ui')
          : action === 'close'
            ? await closeWithOutcome(store, staff, id, { outcome: form.get('outcome') }, 'staff-ui')
            : 'invalid';
    if (result === 'notFound') return { kind: 'notFound', staff };
    if (result !== 'ok') return seeOther(`${self}?fout=${result}`);
    const done = action === 'assign' ? 'assigned' : action === 'attempt' ? 'attempt' : 'closed';
    return seeOther(`${self}?gedaan=${done}#bericht`);
  }
  const detail = await viewRequest(store, staff, id, 'staff-ui');
  if (!detail) return { kind: 'notFound', staff };
  const done = url.searchParams.get('gedaan');
  const error = url.searchParams.get('fout');
  const message: Message | null =
    done !== null && Object.hasOwn(DONE, done)
      ? { tone: 'status', text: st(DONE[done as keyof typeof DONE]) }
      : error !== null && Object.hasOwn(ERRORS, error)
        ? { tone: 'alert', text: st(ERRORS[error as keyof typeof ERRORS]) }
        : null;
  return { kind: 'page', staff, request: detail, message };
}

export type AuditPageResult = ({ kind: 'page'; staff: StaffContext } & AuditPage) | { kind: 'forbidden'; staff: StaffContext };

export async function auditPage(locals: Locals, url: URL): Promise<AuditPageResult> {
  const staff = requireStaff(locals);
  if (!can(staff, 'audit')) return { kind: 'forbidden', staff };
  const page = await auditPageFor(await getStore(), staff, parsePage(url.searchParams.get('pagina')));
  return { kind: 'page', staff, ...page };
}

/** The names of these municipalities, for the page header (the slug when one is not found). */
export async function municipalityNames(slugs: readonly string[]): Promise<string[]> {
  const store = await getStore();
  return Promise.all(slugs.map(async (slug) => (await findMunicipality(store, slug))?.name ?? slug));
}

export interface CaseListPage {
  kind: 'page';
  staff: StaffContext;
  status: 'open' | 'closed';
  page: number;
  pages: number;
  total: number;
  items: (Awaited<ReturnType<typeof casesFor>>['items'][number] & { municipalityName: string })[];
  showMunicipality: boolean;
}

/** /staff/zaken: the cases of the staff member's municipalities, open (default) or closed, 50 a page. */
export async function caseListPage(locals: Locals, url: URL): Promise<CaseListPage> {
  const staff = requireStaff(locals);
  const status = url.searchParams.get('status') === 'afgesloten' ? 'closed' : 'open';
  const page = parsePage(url.searchParams.get('pagina'));
  const { items, total } = await casesFor(await getStore(), staff, { status, page });
  const names = await municipalityNames(staff.municipalities);
  const nameOf = new Map(staff.municipalities.map((slug, i) => [slug, names[i] ?? slug]));
  return {
    kind: 'page',
    staff,
    status,
    page,
    pages: Math.max(1, Math.ceil(total / CASES_PER_PAGE)),
    total,
    items: items.map((c) => ({ ...c, municipalityName: nameOf.get(c.municipality) ?? c.municipality })),
    showMunicipality: staff.municipalities.length > 1,
  };
}

export interface CasePage {
  kind: 'page';
  staff: StaffContext;
  case: CaseDetail;
  message: Message | null;
}

const CASE_DONE = { attempt: 'detail.done.attempt', closed: 'cases.done.closed' } as const;
const CASE_ERRORS = { closed: 'cases.errors.closed', invalid: 'detail.errors.invalid', invalidDate: 'detail.errors.date' } as const;

/** /staff/zaken/<id>: one case; POST records an attempt or closes it. Another municipality's id is 404. */
export async function casePage(request: Request, locals: Locals, id: string, url: URL): Promise<CasePage | Early | { kind: 'notFound'; staff: StaffContext }> {
  const staff = requireStaff(locals);
  const store = await getStore();
  const self = `/staff/zaken/${id}`;
  if (request.method === 'POST') {
    const form = await formOf(request);
    const action = form.get('action');
    const result =
      action === 'attempt'
        ? await addCaseAttempt(store, staff, id, attemptForm(form), 'staff-ui')
        : action === 'close'
          ? await closeCaseWith(store, staff, id, { outcome: form.get('outcome') }, 'staff-ui')
          : 'invalid';
    if (result === 'notFound') return { kind: 'notFound', staff };
    if (result !== 'ok') return seeOther(`${self}?fout=${result}`);
    return seeOther(`${self}?gedaan=${action === 'attempt' ? 'attempt' : 'closed'}#bericht`);
  }
  const detail = await viewCase(store, staff, id, 'staff-ui');
  if (!detail) return { kind: 'notFound', staff };
  const done = url.searchParams.get('gedaan');
  const error = url.searchParams.get('fout');
  const message: Message | null =
    done !== null && Object.hasOwn(CASE_DONE, done)
      ? { tone: 'status', text: st(CASE_DONE[done as keyof typeof CASE_DONE]) }
      : error !== null && Object.hasOwn(CASE_ERRORS, error)
        ? { tone: 'alert', text: st(CASE_ERRORS[error as keyof typeof CASE_ERRORS]) }
        : null;
  return { kind: 'page', staff, case: detail, message };
}
