// SPDX-License-Identifier: EUPL-1.2
// Runs before every route: refuses cross-site writes, and gates staff paths (session, CSRF, no-store).
// Thin: the logic lives in src/server.
import { defineMiddleware } from 'astro:middleware';
import { problem } from './server/api/problem.ts';
import { errorPageHtml } from './server/error-page.ts';
import { isCrossSiteWrite } from './server/guard.ts';
import { guardStaffRequest, isStaffPath, withStaffHeaders } from './server/staff/access.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const staffPath = isStaffPath(context.url.pathname);
  if (isCrossSiteWrite(context.request, process.env.PUBLIC_URL)) {
    const refused = problem({ status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted.' });
    return staffPath ? withStaffHeaders(refused, []) : refused;
  }
  let setCookies: string[] = [];
  try {
    if (staffPath) {
      const gate = await guardStaffRequest(context.request, context.url.pathname);
      setCookies = gate.setCookies;
      if (gate.response) return withStaffHeaders(gate.response, setCookies);
      if (gate.staff) context.locals.staff = gate.staff;
      if (gate.loginCsrf) context.locals.staffLoginCsrf = gate.loginCsrf;
    }
    const response = await next();
    return staffPath ? withStaffHeaders(response, setCookies) : response;
  } catch (error) {
    // Never a stack trace or a framework page: a plain answer, and the details in the log.
    console.error(error);
    const failed = context.url.pathname.startsWith('/api/')
      ? problem({ status: 500, title: 'Internal Server Error', detail: 'Something went wrong on our side. Please try again.' })
      : new Response(errorPageHtml('generic'), {
          status: 500,
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
        });
    return staffPath ? withStaffHeaders(failed, []) : failed;
  }
});
