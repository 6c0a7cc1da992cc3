import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How many ports after the default one are tried when it is busy and no port was given. */
const PORTS_TRIED = 20;

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** The port was asked for: a busy one is refused rather than replaced. */
  readonly portGiven: boolean;
}

/** Listening failed for a reason the operator must fix (a busy port they asked for, an address not on this machine). */
export class ListenError extends Error {}

export interface HttpListener {
  readonly server: Server;
  /** The port bound (the one asked for, the next free one, or the one the system picked for 0). */
  readonly port: number;
  /** Set when the default port was busy and another was taken. */
  readonly busyDefault?: number;
  /** Stops accepting, ends open connections (SSE streams never end by themselves). */
  close(): Promise<void>;
}

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      server.off('listening', listening);
      reject(error);
    };
    const listening = (): void => {
      server.off('error', failed);
      resolve();
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}

function reason(error: NodeJS.ErrnoException, host: string, port: number, given: boolean): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use by another process${given ? ' (it was given: --port, DOKKU_MCP_TRANSPORT_PORT or a --config file)' : ''}; stop that process, or choose another port with --port N (--port 0 = any free port).`;
    case 'EACCES':
      return `no permission to listen on port ${port} of ${host} (ports below 1024 need privileges); choose a port from 1024 up with --port N.`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine, so nothing can listen there; set transport.host (--host) to one of its addresses, e.g. 127.0.0.1.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `transport.host ${host} does not resolve to an address; set --host to an IP address such as 127.0.0.1.`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/**
 * Listens on host:port. A busy port is refused when it was given; when it is the default, the next free one up to
 * PORTS_TRIED above it is taken instead and reported in `busyDefault`. Throws ListenError with the fix.
 */
export async function listen(handler: RequestListener, options: ListenOptions): Promise<HttpListener> {
  const server = createServer(handler);
  const last = options.portGiven || options.port === 0 ? options.port : Math.min(options.port + PORTS_TRIED, 65_535);
  for (let port = options.port; ; port++) {
    try {
      await listenOnce(server, options.host, port);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && port < last) continue;
      const busyAll = code === 'EADDRINUSE' && last > options.port;
      throw new ListenError(busyAll
        ? `ports ${options.port} to ${last} on ${options.host} are all in use; choose a free one with --port N (--port 0 = any free port).`
        : reason(error as NodeJS.ErrnoException, options.host, port, options.portGiven));
    }
  }
  const bound = (server.address() as AddressInfo).port;
  return {
    server,
    port: bound,
    ...(bound !== options.port && options.port !== 0 ? { busyDefault: options.port } : {}),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
