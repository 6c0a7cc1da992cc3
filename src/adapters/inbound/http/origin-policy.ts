import type { RequestHandler } from 'express';
import { quoted, RPC, type Refuse } from './json-rpc-refusal.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface OriginPolicyOptions {
  /** transport.allowed_hosts: `name` (any port) or `name:port`. */
  readonly allowedHosts: readonly string[];
  /** transport.allowed_origins: `scheme://host[:port]`. */
  readonly allowedOrigins: readonly string[];
  /** The port actually bound (known only once listening: --port 0 picks one). */
  readonly port: () => number;
}

/** `Host` header or allowed_hosts entry -> lower-case name and port (undefined when absent). */
function splitHost(value: string): { name: string; port: number | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value.trim().toLowerCase());
  if (!match) return { name: value.toLowerCase(), port: undefined };
  return { name: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) };
}

const normalOrigin = (origin: string): string => origin.trim().toLowerCase().replace(/\/+$/, '');

/**
 * Which Host and Origin headers this server answers (DNS rebinding protection, the spec's Origin rule). The loopback
 * names and origins on the bound port are always accepted — a browser sends them only when it was pointed at this
 * machine itself — and the configured lists add the public names a reverse proxy forwards.
 */
export class OriginPolicy {
  private readonly hosts: { name: string; port: number | undefined }[];
  private readonly origins: Set<string>;

  constructor(private readonly options: OriginPolicyOptions) {
    this.hosts = options.allowedHosts.map(splitHost);
    this.origins = new Set(options.allowedOrigins.map(normalOrigin));
  }

  hostAllowed(host: string | undefined): boolean {
    if (host === undefined || host === '') return false;
    const { name, port } = splitHost(host);
    const effectivePort = port ?? 80;
    if (LOOPBACK_NAMES.includes(name) && effectivePort === this.options.port()) return true;
    return this.hosts.some((allowed) => allowed.name === name && (allowed.port === undefined || allowed.port === effectivePort));
  }

  originAllowed(origin: string): boolean {
    const normal = normalOrigin(origin);
    if (this.origins.has(normal)) return true;
    const port = this.options.port();
    return LOOPBACK_NAMES.some((name) => normal === `http://${name}:${port}` || (port === 80 && normal === `http://${name}`));
  }

  /** Middleware: 403 for a foreign Host, or a foreign Origin (a request without Origin is not a browser's: it passes). */
  check(refuse: Refuse): RequestHandler {
    return (req, res, next) => {
      const host = req.headers.host;
      if (!this.hostAllowed(host)) {
        refuse(res, 403, RPC.serverError,
          `Forbidden: Host ${quoted(host ?? '')} is not a name this server answers to (DNS rebinding protection). ` +
          `Connect to http://127.0.0.1:${this.options.port()}/mcp, or add the name to transport.allowed_hosts.`);
        return;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !this.originAllowed(origin)) {
        refuse(res, 403, RPC.serverError,
          `Forbidden: Origin ${quoted(origin)} is not allowed to call this server. To let that web page connect, ` +
          'add its origin to transport.allowed_origins.');
        return;
      }
      next();
    };
  }
}
