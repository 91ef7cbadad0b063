// SPDX-License-Identifier: EUPL-1.2
// Runs before every route: refuses cross-site writes. Thin: the logic lives in src/server.
import { defineMiddleware } from 'astro:middleware';
import { problem } from './server/api/problem.ts';
import { isCrossSiteWrite } from './server/guard.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  if (isCrossSiteWrite(context.request, process.env.PUBLIC_URL)) {
    return problem({ status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted.' });
  }
  return next();
});
