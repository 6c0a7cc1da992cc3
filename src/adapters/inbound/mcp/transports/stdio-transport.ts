import type { Readable, Writable } from 'node:stream';
import type { Caller } from '../../../../domain/caller.js';
import type { Logger } from '../../../../ports/logger.port.js';
import { MessageGuard } from '../message-guard.js';
import type { McpServerFactory } from '../server-factory.js';
import { LineStdioTransport } from './line-stdio-transport.js';
import { watchClient, type ClientGone } from './stdio-lifetime.js';

export interface StdioHandle {
  /** Ends the session: drops subscriptions, closes the transport. Idempotent. */
  close(): Promise<void>;
}

export interface StdioOptions {
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  /** Called once when the client is gone (stdin ended, or stdout/stderr broke); without it the session just closes. */
  readonly onClientGone?: (gone: ClientGone) => void;
}

/**
 * Serves one MCP session over stdin/stdout. stdout carries only JSON-RPC from here on; logs go to stderr. Messages pass
 * the MessageGuard (the session's protocol rules) on a transport that answers bad lines instead of dropping them. When
 * the client is gone the session is closed and `onClientGone` decides what happens to the process. The session acts for
 * `caller`, which the configuration decides (auth.stdio_tenant, security.read_only), not this adapter.
 */
export async function serveStdio(factory: McpServerFactory, caller: Caller, logger: Logger, options: StdioOptions = {}): Promise<StdioHandle> {
  const stdin = (options.stdin ?? process.stdin) as Readable;
  const stdout = (options.stdout ?? process.stdout) as Writable;
  const stderr = options.stderr ?? process.stderr;
  const session = factory.create(caller);
  const transport = new MessageGuard(new LineStdioTransport(stdin, stdout));
  transport.onerror = (error) => logger.warn('stdio transport error', { error: String(error) });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= session.close().catch((error: unknown) => logger.warn('error while closing the MCP session', { error: String(error) }));
    return closing;
  };
  watchClient({ stdin, stdout, stderr }, (gone) => {
    logger.info('client gone; closing the MCP session', { why: gone.reason }); // silent if stderr is what broke
    if (options.onClientGone) options.onClientGone(gone); // the owner closes the session as part of its shutdown
    else void close();
  });

  await session.server.connect(transport);
  logger.info('MCP session started on stdio', { tenant: caller.tenant, scopes: caller.scopes.join(',') });
  return { close };
}
