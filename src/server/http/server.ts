// SPDX-License-Identifier: EUPL-1.2
/**
 * The one HTTP layer (Fastify): static files first (precompressed at build, no work per request),
 * then the API under /api/v1 with zod schemas that validate each request and describe it in the
 * generated OpenAPI document, then every page through Astro in middleware mode. One error
 * handler turns what Fastify or zod refuses into problem details.
 */
import http from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { actorFor, currentRequest, log } from '../log.ts';
import { METRICS_PATH, metricsAccess, type Metrics } from '../metrics.ts';
import { publicUrl } from '../runtime.ts';
import { API_VERSION, invalidBody, MAX_BODY_BYTES, sendProblem, type BodyKind, MEDIA_TYPES } from './problem.ts';
import { isCrossSiteWrite, nodeRequest } from './guard.ts';
import { healthRoutes } from './health.ts';
import { apiDocument, relativePaths } from './openapi.ts';
import { callbackRoutes } from '../callbacks/api.ts';
import { progressRoutes } from '../callbacks/progress-api.ts';
import { invitationRoutes } from '../invitations/api.ts';
import { staffApiRoutes } from '../staff/api.ts';
import { ddasRoutes } from '../ddas/api.ts';
import { notifyRoutes } from '../notify/routes.ts';

export type Api = FastifyInstance<http.Server, http.IncomingMessage, http.ServerResponse, FastifyBaseLoggerLike, ZodTypeProvider>;
type FastifyBaseLoggerLike = FastifyInstance['log'];

/** Astro's handler in middleware mode: `locals` reach the page as Astro.locals. */
export type PagesHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: (error?: unknown) => void, locals?: App.Locals) => void;

declare module 'fastify' {
  interface FastifyInstance {
    /** answers with an Astro page (the QR sheet is an Astro component); 404 where no pages are built */
    renderPage(request: FastifyRequest, reply: FastifyReply, locals?: App.Locals): FastifyReply;
  }
  interface FastifyContextConfig {
    /** the body types a route takes (415 for any other); default JSON */
    accept?: readonly BodyKind[];
    /** form fields into the JSON shape the body schema checks */
    fromForm?: (form: URLSearchParams) => unknown;
    /** the answer for a path parameter that is not valid (an id that cannot exist is "not found") */
    notFound?: string;
    /** the pattern the log and metrics name, e.g. /api/v1/gesprekken/[id] */
    pattern?: string;
  }
}

/** A request part zod refused; the error handler answers it (422 for a body, 404 for a path id, 400 for a header). */
export class InvalidInput extends Error {
  readonly zod: z.ZodError;
  readonly input: unknown;
  constructor(zod: z.ZodError, input: unknown) {
    super('invalid input');
    this.zod = zod;
    this.input = input;
  }
}

/** The route's zod schema validates; the error keeps zod's issues, so the one mapper (invalidBody) names each field. */
function validatorCompiler({ schema }: { schema: unknown }) {
  const zodSchema = schema as z.ZodType;
  return (data: unknown) => {
    const result = zodSchema.safeParse(data);
    return result.success ? { value: result.data } : { error: new InvalidInput(result.error, data) };
  };
}

export interface HttpOptions {
  metrics?: Metrics;
  metricsToken?: string | undefined;
  /** the built client files (dist/client); absent in tests of the API alone */
  clientDir?: string;
  /** the built Astro pages in middleware mode; absent in tests of the API alone */
  pages?: PagesHandler;
}

/** A route of the API, as registered: its methods and its pattern with [param] as in the log. */
export interface ApiRoute {
  methods: string[];
  pattern: string;
}

/** The whole HTTP layer, ready: `handler` is what node:http calls for each request; `routes` the API's documented routes. */
export async function createHttp(options: HttpOptions = {}): Promise<{ api: Api; handler: http.RequestListener; routes: ApiRoute[] }> {
  let handler: http.RequestListener | undefined;
  const routes: ApiRoute[] = [];
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    // the request log and the metrics are written by the app's own wrapper (src/server/app.ts)
    logger: false,
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200 },
    serverFactory: (fastifyHandler) => {
      handler = fastifyHandler;
      // never listened on: the launcher owns the listening server (src/cli/start.ts)
      return http.createServer(fastifyHandler);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // Answers are typed against their schemas at compile time (the type provider) and described by
  // them; on the way out they are only stringified, not checked a second time.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(answerError);
  app.setNotFoundHandler((request, reply) => {
    // TRACE, CONNECT and the like no route takes: refused as a method, wherever they point
    if (!KNOWN_METHODS.has(request.method)) return methodNotAllowed(request, reply);
    return sendProblem(reply, { status: 404, title: 'Not Found', detail: request.url.startsWith('/api/') ? 'No such API route.' : 'Not found.' });
  });
  app.addHook('onRoute', (route) => {
    const pattern = route.url.replace(/:(\w+)/g, '[$1]');
    route.config = { ...(route.config as object), pattern };
    const methods = [route.method].flat().filter((m) => m !== 'HEAD');
    // every API route, also one left out of the OpenAPI document (a test holds the two together)
    if (pattern.startsWith('/api/') && pattern !== '/api/*' && methods.length > 0) routes.push({ methods, pattern });
  });
  // Synchronous (a callback, no promise): it runs for every request.
  app.addHook('onRequest', (request, reply, done) => {
    const record = currentRequest();
    const pattern = request.routeOptions.config.pattern;
    if (record && pattern) {
      record.object = pattern;
      record.actor = actorFor(pattern, request.headers.authorization !== undefined);
    }
    if (!request.url.startsWith('/api/')) return done();
    reply.header('API-Version', API_VERSION).header('Cache-Control', 'no-store');
    if (isCrossSiteWrite(nodeRequest(request), publicUrl())) {
      sendProblem(reply, { status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted.' });
      return undefined;
    }
    if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') {
      const accept = request.routeOptions.config.accept ?? ['json'];
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (request.routeOptions.schema?.body !== undefined && !accept.some((k) => MEDIA_TYPES[k] === type)) {
        const names = accept.map((k) => MEDIA_TYPES[k]);
        const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
        sendProblem(reply, { status: 415, title: 'Unsupported Media Type', detail: `Send ${list}.` });
        return undefined;
      }
    }
    return done();
  });
  // Form posts (the no-JavaScript conversation, curl) become the JSON shape the route's schema checks.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    const fromForm = request.routeOptions.config.fromForm ?? ((form: URLSearchParams) => Object.fromEntries(form));
    done(null, fromForm(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /charset="?([\w-]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return done(httpError(415, 'Send the CSV as UTF-8 (charset=utf-8).'));
    try {
      // Strict: a spreadsheet's Windows-1252 export would otherwise turn é into \ufffd unnoticed.
      done(null, new TextDecoder('utf-8', { fatal: true }).decode(body as Buffer));
    } catch {
      done(httpError(400, 'The CSV is not UTF-8 text: save it as "CSV UTF-8".'));
    }
  });

  const pages = options.pages;
  app.decorate('renderPage', (request: FastifyRequest, reply: FastifyReply, locals: App.Locals = {}) => {
    if (!pages) return sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No pages in this server.' });
    reply.hijack();
    pages(request.raw, reply.raw, undefined, locals);
    return reply;
  });
  await app.register(fastifySwagger, {
    openapi: apiDocument(),
    transform: jsonSchemaTransform,
    transformObject: (document) => relativePaths(jsonSchemaTransformObject(document)),
  });
  if (options.clientDir && existsSync(options.clientDir)) {
    await app.register(fastifyStatic, {
      root: options.clientDir,
      // every file a route of its own, found at start: a lookup in the router, no file system check per request
      wildcard: false,
      globIgnore: ['**/*.br', '**/*.gz'],
      preCompressed: true,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders: (res, path) => {
        // Astro's hashed assets never change; everything else is checked again
        const file = path.replace(/\.(br|gz)$/, '');
        res.header('Cache-Control', file.includes('/_astro/') ? 'public, max-age=31536000, immutable' : file.endsWith('/sw.js') ? 'no-cache' : 'public, max-age=0, must-revalidate');
      },
    });
  }
  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { summary: 'This description', operationId: 'getOpenApi' } }, () => app.swagger());
      await api.register(callbackRoutes);
      await api.register(progressRoutes);
      await api.register(invitationRoutes);
      await api.register(staffApiRoutes, { prefix: '/staff' });
      await api.register(ddasRoutes);
      await api.register(notifyRoutes);
    },
    { prefix: '/api/v1' },
  );
  // an address under /api/ that no route takes is the API's 404, never a page
  app.all('/api/*', { schema: { hide: true } }, (request, reply) =>
    KNOWN_METHODS.has(request.method) ? sendProblem(reply, { status: 404, title: 'Not Found', detail: 'No such API route.' }) : methodNotAllowed(request, reply),
  );
  await app.register(healthRoutes);
  const metrics = options.metrics;
  if (metrics) {
    app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: METRICS_PATH, schema: { hide: true }, handler: async (request, reply) => {
      reply.header('Cache-Control', 'no-store').type('text/plain; charset=utf-8');
      if (request.method !== 'GET' && request.method !== 'HEAD') return reply.code(405).header('Allow', 'GET, HEAD').send('Method Not Allowed\n');
      const access = metricsAccess(request.raw, options.metricsToken);
      if (access === 'unauthorized') return reply.code(401).header('WWW-Authenticate', 'Bearer realm="metrics"').send('Unauthorized: send METRICS_TOKEN as a Bearer token\n');
      if (access === 'forbidden') return reply.code(403).send('Forbidden: /metrics answers this machine only unless METRICS_TOKEN is set\n');
      try {
        return await reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      } catch (error) {
        log.error({ action: 'metrics.collect', origin: 'http', err: error }, 'metrics could not be collected');
        return reply.code(503).send('Service Unavailable: metrics could not be collected\n');
      }
    } });
  }
  if (pages) {
    await app.register(async (scope) => {
      // Astro reads the body itself: nothing is parsed here, the stream is left as it came.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const toAstro = (request: FastifyRequest, reply: FastifyReply) => app.renderPage(request, reply);
      scope.route({ method: PAGE_METHODS, url: '/*', schema: { hide: true }, handler: toAstro });
      scope.route({ method: PAGE_METHODS, url: '/', schema: { hide: true }, handler: toAstro });
      // a page is read (GET, HEAD) or sent a form (POST); anything else is refused before Astro sees it
      scope.route({ method: ['PUT', 'PATCH', 'DELETE', 'OPTIONS'], url: '/*', schema: { hide: true }, handler: methodNotAllowed });
      scope.route({ method: ['PUT', 'PATCH', 'DELETE', 'OPTIONS'], url: '/', schema: { hide: true }, handler: methodNotAllowed });
    });
  }
  await app.ready();
  if (!handler) throw new Error('Fastify gave no request handler');
  return { api: app as unknown as Api, handler, routes };
}

const PAGE_METHODS = ['GET', 'HEAD', 'POST'];
/** The methods some route of the portal takes; any other is a 405 everywhere. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** 405 with the methods a page takes (an API route answers its own, or 404 for an address it has not). */
function methodNotAllowed(request: FastifyRequest, reply: FastifyReply) {
  reply.header('Allow', PAGE_METHODS.join(', '));
  return sendProblem(reply, { status: 405, title: 'Method Not Allowed', detail: `${request.method} is not accepted here: use ${PAGE_METHODS.join(', ')}.` });
}

function httpError(statusCode: number, message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode, code: 'HG_BODY' }) as FastifyError;
}

/** Everything a route or Fastify throws, as problem details; a stack trace never leaves the server. */
function answerError(error: FastifyError | InvalidInput, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof InvalidInput) {
    const context = (error as InvalidInput & { validationContext?: string }).validationContext;
    if (context === 'params') return sendProblem(reply, { status: 404, title: 'Not Found', detail: request.routeOptions.config.notFound ?? 'Not found.' });
    if (context === 'headers') {
      const issue = error.zod.issues[0];
      return sendProblem(reply, { status: 400, title: 'Bad Request', detail: issue?.message ?? 'A header is not valid.' });
    }
    return sendProblem(reply, invalidBody(error.zod, error.input));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, { status: 413, title: 'Content Too Large', detail: `The body may be at most ${request.routeOptions.bodyLimit ?? MAX_BODY_BYTES} bytes.` });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, { status: 415, title: 'Unsupported Media Type', detail: 'Send application/json.' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendProblem(reply, { status: 400, title: 'Bad Request', detail: 'The body is not valid JSON.' });
    case 'HG_BODY':
      return sendProblem(reply, { status: error.statusCode ?? 400, title: error.statusCode === 415 ? 'Unsupported Media Type' : 'Bad Request', detail: error.message });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, { status: error.statusCode, title: 'Bad Request', detail: 'The request cannot be read.' });
  }
  log.error({ err: error, object: request.routeOptions.config.pattern }, 'request failed');
  return sendProblem(reply, { status: 500, title: 'Internal Server Error', detail: 'Something went wrong on our side. Please try again.' });
}

export const CLIENT_DIR = fileURLToPath(new URL('../../../dist/client/', import.meta.url));
