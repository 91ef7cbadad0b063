// SPDX-License-Identifier: EUPL-1.2
// Runs before every route: refuses cross-site writes. Thin: the logic lives in src/server.
import { defineMiddleware } from 'astro:middleware';
import { problem } from './server/api/problem.ts';
import { errorPageHtml } from './server/error-page.ts';
import { isCrossSiteWrite } from './server/guard.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  if (isCrossSiteWrite(context.request, process.env.PUBLIC_URL)) {
    return problem({ status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted.' });
  }
  try {
    return await next();
  } catch (error) {
    // Never a stack trace or a framework page: a plain answer, and the details in the log.
    console.error(error);
    if (context.url.pathname.startsWith('/api/')) {
      return problem({ status: 500, title: 'Internal Server Error', detail: 'Something went wrong on our side. Please try again.' });
    }
    return new Response(errorPageHtml('generic'), {
      status: 500,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
});
