import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../../ports/logger.port.js';
import { mountHealth, type CachedReadiness } from './health.js';
import { quoted, RPC, type Refuse } from './json-rpc-refusal.js';
import type { OriginPolicy } from './origin-policy.js';

/** One endpoint served after the checks and the `beforeRoutes` middleware, with the JSON body already parsed. */
export interface HttpRoute {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly handle: (req: Request, res: Response) => Promise<void> | void;
}

export interface HttpAppOptions {
  readonly policy: OriginPolicy;
  readonly refuse: Refuse;
  readonly readiness: CachedReadiness;
  /** transport.max_body_kb in bytes. */
  readonly maxBodyBytes: number;
  /** Middleware run before every route (not before /healthz and /readyz): the place for authentication. */
  readonly beforeRoutes?: readonly RequestHandler[];
  readonly routes: readonly HttpRoute[];
  readonly logger: Logger;
  /** While the server shuts down: why; new sessions get 503 and /readyz says so. */
  readonly stopping?: () => string | undefined;
}

/** Headers a browser client may send, and the session header it must be able to read back (CORS). */
const CORS_OPTIONS = {
  methods: ['GET', 'POST', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Accept', 'Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID'],
  exposedHeaders: ['Mcp-Session-Id'],
  maxAge: 600,
};

/**
 * The HTTP app, in this order: Host and Origin checks (403), CORS (preflights answered for the allowed origins),
 * health, the `beforeRoutes` slot, the JSON body (413 over the limit), the routes, then our own 404/405 and error
 * answers, so express's HTML pages and stack traces never reach a client.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const { policy, refuse } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(policy.check(refuse));
  // Only origins the check let through get here; a request without Origin gets no CORS headers (it needs none).
  app.use(cors({ ...CORS_OPTIONS, origin: (origin, done) => done(null, origin !== undefined && policy.originAllowed(origin)) }));
  if (options.stopping) app.use(refuseWhileStopping(options.stopping, refuse));
  mountHealth(app, options.readiness);
  for (const middleware of options.beforeRoutes ?? []) app.use(middleware);
  app.use(express.json({ limit: options.maxBodyBytes }));

  const methodsByPath = new Map<string, string[]>();
  for (const route of options.routes) {
    app[route.method](route.path, (req, res) => route.handle(req, res));
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) {
    app.all(path, (req, res) => {
      refuse(res, 405, RPC.serverError, `Method not allowed: ${req.method} ${path}; use ${methods.join(', ')}.`, { Allow: methods.join(', ') });
    });
  }
  const known = ['GET /healthz', 'GET /readyz', ...options.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`)];
  app.use((req, res) => {
    refuse(res, 404, RPC.serverError, `Not found: ${req.method} ${quoted(req.path)}. This server answers ${known.join(', ')}.`);
  });
  app.use(errorAnswer(options));
  return app;
}

/**
 * While shutting down: /readyz answers 503 (a load balancer stops sending), and a request that would start a session
 * (POST /mcp without Mcp-Session-Id, GET /sse) gets 503 with Retry-After; requests of open sessions go on.
 */
function refuseWhileStopping(stopping: () => string | undefined, refuse: Refuse): RequestHandler {
  return (req, res, next) => {
    const why = stopping();
    if (why === undefined) return next();
    if (req.path === '/readyz') return void res.status(503).set('Cache-Control', 'no-store').json({ status: 'not ready', reason: `shutting down (${why})` });
    const opensSession = (req.method === 'POST' && req.path === '/mcp' && req.get('mcp-session-id') === undefined) || (req.method === 'GET' && req.path === '/sse');
    if (!opensSession) return next();
    refuse(res, 503, RPC.serverError, `Service Unavailable: the server is shutting down (${why}) and opens no new sessions; connect again once it is back.`, { 'Retry-After': '5' });
  };
}

/** body-parser's failures by their `type`, answered in JSON-RPC; anything else is logged and answered in general terms. */
function errorAnswer({ refuse, maxBodyBytes, logger }: HttpAppOptions): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, req, res, _next) => {
    switch (error.type) {
      case 'entity.too.large':
        return refuse(res, 413, RPC.invalidRequest,
          `Payload Too Large: the request body is over transport.max_body_kb = ${maxBodyBytes / 1024} KiB; send a smaller message (or raise the limit).`);
      case 'entity.parse.failed':
        return refuse(res, 400, RPC.parseError, 'Parse error: the body is not valid JSON; send one JSON-RPC message (or a batch) as JSON.');
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return refuse(res, 415, RPC.serverError, 'Unsupported Media Type: send the body as UTF-8 JSON (Content-Type: application/json), without Content-Encoding.');
      case 'request.aborted':
        return void res.end(); // the client went away while sending
      default:
        logger.error('HTTP request failed', { method: req.method, path: req.path, error: String(error) });
        return refuse(res, 500, RPC.internalError, 'Internal error while handling this request; the server logged it. Try again, or report it with the time.');
    }
  };
}
