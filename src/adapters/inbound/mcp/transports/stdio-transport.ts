import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../../../../ports/logger.port.js';
import type { McpServerFactory } from '../server-factory.js';

export interface StdioHandle {
  /** Ends the session: drops subscriptions, closes the transport. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves one MCP session over stdin/stdout. stdout carries only JSON-RPC from here on; logs go to stderr. When the
 * client closes stdin the session is closed too (the caller decides whether the process exits).
 */
export async function serveStdio(
  factory: McpServerFactory,
  logger: Logger,
  streams: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {},
): Promise<StdioHandle> {
  const stdin = (streams.stdin ?? process.stdin) as import('node:stream').Readable;
  const stdout = (streams.stdout ?? process.stdout) as import('node:stream').Writable;
  const session = factory.create();
  const transport = new StdioServerTransport(stdin, stdout);
  transport.onerror = (error) => logger.warn('stdio transport error', { error: String(error) });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= session.close().catch((error: unknown) => logger.warn('error while closing the MCP session', { error: String(error) }));
    return closing;
  };
  stdin.once('end', () => {
    logger.info('stdin ended; closing the MCP session');
    void close();
  });

  await session.server.connect(transport);
  logger.info('MCP session started on stdio');
  return { close };
}
