import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach a server bound there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** What lets the server listen beyond loopback. */
export interface BindAccess {
  /** Access tokens are configured, so every request is authenticated. */
  readonly tokensConfigured: boolean;
}

/**
 * Why the HTTP server must not listen on `host`, or undefined when it may. Without tokens anyone who can reach the
 * port could operate the Dokku host, so only loopback is allowed; with tokens every request is authenticated, so any
 * address is. This is the one place that decides it.
 */
export function bindRefusal(host: string, access: BindAccess): string | undefined {
  if (isLoopbackHost(host) || access.tokensConfigured) return undefined;
  return (
    `transport.host ${host} is not a loopback address, and serving MCP there needs access tokens, which are not ` +
    'configured: anyone reaching the port could operate the Dokku host. Configure auth.tokens in a --config file ' +
    '(every request then needs "Authorization: Bearer <token>"), or keep transport.host 127.0.0.1 (--host); in both ' +
    'cases put a reverse proxy with TLS in front of it (see the README, "A hosted agent").'
  );
}
