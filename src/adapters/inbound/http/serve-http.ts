import type { RequestHandler } from 'express';
import type { Logger } from '../../../ports/logger.port.js';
import { CachedReadiness, type Readiness } from './health.js';
import { createHttpApp, type HttpRoute } from './http-app.js';
import { listen, type ListenOptions } from './http-server.js';
import type { Refuse } from './json-rpc-refusal.js';
import { OriginPolicy } from './origin-policy.js';

export interface ServeHttpOptions extends ListenOptions {
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  /** The MCP endpoints and any other route (e.g. a log stream), served after `beforeRoutes`. */
  readonly routes: readonly HttpRoute[];
  /** Middleware before every route, after the Host/Origin checks and health: authentication goes here. */
  readonly beforeRoutes?: readonly RequestHandler[];
  /** Asked at most once per few seconds, by GET /readyz. */
  readonly readiness: () => Promise<Readiness>;
  readonly refuse: Refuse;
  readonly logger: Logger;
  /** Ends every session (before the server stops listening). */
  readonly closeSessions: () => Promise<void>;
  /** While the server shuts down: why (e.g. "SIGTERM"); new sessions are then refused (503) and /readyz says so. */
  readonly stopping?: () => string | undefined;
}

export interface HttpHandle {
  /** The Streamable HTTP endpoint, e.g. http://127.0.0.1:8080/mcp. */
  readonly url: string;
  readonly port: number;
  /** The default port, when it was busy and `port` was taken instead. */
  readonly busyDefault?: number;
  /** Closes the sessions, then the server and its open connections. Idempotent. */
  close(): Promise<void>;
}

/** `::1` -> `[::1]` in a URL. */
const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Builds the app and listens; throws ListenError (with the fix) when it cannot. */
export async function serveHttp(options: ServeHttpOptions): Promise<HttpHandle> {
  let port = options.port;
  const policy = new OriginPolicy({ allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins, port: () => port });
  const app = createHttpApp({
    policy,
    refuse: options.refuse,
    readiness: new CachedReadiness(options.readiness),
    maxBodyBytes: options.maxBodyBytes,
    beforeRoutes: options.beforeRoutes,
    stopping: options.stopping,
    routes: options.routes,
    logger: options.logger,
  });
  const listener = await listen(app, options);
  port = listener.port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(options.host)}:${port}/mcp`,
    port,
    ...(listener.busyDefault === undefined ? {} : { busyDefault: listener.busyDefault }),
    close: () => (closing ??= options.closeSessions().catch(() => undefined).then(() => listener.close())),
  };
}
