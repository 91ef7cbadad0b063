// SPDX-License-Identifier: EUPL-1.2
// Runs around every route: refuses cross-site writes, gates staff paths (session, CSRF, no-store)
// and puts the security headers on every answer.
// Thin: the logic lives in src/server.
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { problem } from './server/http/problem.ts';
import { isCrossSiteWrite } from './server/http/guard.ts';
import { actorFor, currentRequest, log } from './server/log.ts';
import { publicUrl } from './server/runtime.ts';
import { withSecurityHeaders } from './server/http/security-headers.ts';
import { guardStaffRequest, isStaffPath, withStaffHeaders } from './server/staff/access.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await answer(context, next);
  return withSecurityHeaders(response, { staff: isStaffPath(context.url.pathname) });
});

async function answer(context: APIContext, next: MiddlewareNext): Promise<Response> {
  const staffPath = isStaffPath(context.url.pathname);
  // The request log line (written by src/cli/start.ts) names the route pattern, never the URL.
  const record = currentRequest();
  if (record) {
    record.object = context.routePattern;
    record.actor = actorFor(context.routePattern, context.request.headers.has('authorization'));
  }
  if (isCrossSiteWrite(context.request, publicUrl())) {
    const refused = problem({ status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted.' });
    return staffPath ? withStaffHeaders(refused, []) : refused;
  }
  let setCookies: string[] = [];
  try {
    if (staffPath) {
      const gate = await guardStaffRequest(context.request, context.url.pathname);
      setCookies = gate.setCookies;
      if (gate.response) return withStaffHeaders(gate.response, setCookies);
      if (gate.staff) {
        context.locals.staff = gate.staff;
        if (record) record.actor = 'staff';
      }
      if (gate.loginCsrf) context.locals.staffLoginCsrf = gate.loginCsrf;
    }
    let response = await next();
    // An address under /api/ that no API route takes (so a page route or the 404 page answered
    // it in HTML, e.g. /api/v1/ as /[municipality]/[lang]/): API clients get problem details.
    if (response.status === 404 && context.url.pathname.startsWith('/api/') && (response.headers.get('Content-Type') ?? '').startsWith('text/html')) {
      response = problem({ status: 404, title: 'Not Found', detail: 'No such API route.' });
    }
    return staffPath ? withStaffHeaders(response, setCookies) : response;
  } catch (error) {
    // Never a stack trace or a framework page: the details go to the log; API clients get
    // problem details, everyone else the page src/pages/500.astro, which Astro renders for a throw.
    log.error({ err: error, object: context.routePattern }, 'request failed');
    if (!context.url.pathname.startsWith('/api/')) throw error;
    const failed = problem({ status: 500, title: 'Internal Server Error', detail: 'Something went wrong on our side. Please try again.' });
    return staffPath ? withStaffHeaders(failed, []) : failed;
  }
}
