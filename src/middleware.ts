// SPDX-License-Identifier: EUPL-1.2
// Runs around every page (the API has its own hooks, src/server/http/server.ts): refuses
// cross-site writes, gates staff pages (session, CSRF, no-store) and puts the security headers
// on every answer. Thin: the logic lives in src/server.
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { problem } from './server/http/problem.ts';
import { isCrossSiteWrite } from './server/http/guard.ts';
import { actorFor, currentRequest, log } from './server/log.ts';
import { publicUrl } from './server/runtime.ts';
import { withSecurityHeaders } from './server/http/security-headers.ts';
import { guardStaffRequest, isStaffPath, REFUSED_PATH, withStaffHeaders } from './server/staff/access.ts';

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
      if (gate.refuse) {
        context.locals.staffRefusal = gate.refuse;
        return withStaffHeaders(await next(REFUSED_PATH), []);
      }
      if (gate.staff) {
        context.locals.staff = gate.staff;
        if (record) record.actor = 'staff';
      }
      if (gate.loginCsrf) context.locals.staffLoginCsrf = gate.loginCsrf;
    }
    const response = await next();
    return staffPath ? withStaffHeaders(response, setCookies) : response;
  } catch (error) {
    // Never a stack trace or a framework page: the details go to the log, the resident or staff
    // member gets the page src/pages/500.astro, which Astro renders for a throw.
    log.error({ err: error, object: context.routePattern }, 'request failed');
    throw error;
  }
}
