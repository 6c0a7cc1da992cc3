import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorReply, idOf, JSON_RPC, leadingIdOf, type JsonRpcErrorReply } from '../json-rpc-errors.js';
import { BoundedLineSplitter, type SplitLine } from './line-splitter.js';

/** The SDK's own stdio limit (STDIO_DEFAULT_MAX_BUFFER_SIZE): nothing that worked before is refused now. */
export const MAX_STDIO_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * MCP over newline-delimited JSON on stdin/stdout, like the SDK's StdioServerTransport, except that a bad line is
 * answered and skipped instead of ending or silently dropping: the SDK reports a malformed line only to `onerror` (no
 * reply, so the client waits forever) and closes the session on a line over 10 MiB. Here:
 * - a line that is not JSON gets -32700 Parse error (id null: an unparsable line has no readable id);
 * - JSON that is not a JSON-RPC message gets -32600 Invalid Request (with its id when it has one);
 * - a line over `maxMessageBytes` is discarded up to its newline, never buffered whole, and gets -32600 with the limit.
 */
export class LineStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly splitter: BoundedLineSplitter;
  private started = false;
  private closed = false;
  private drained?: Promise<void>;

  constructor(
    private readonly stdin: Readable,
    private readonly stdout: Writable,
    private readonly maxMessageBytes = MAX_STDIO_MESSAGE_BYTES,
  ) {
    this.splitter = new BoundedLineSplitter(maxMessageBytes);
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('LineStdioTransport already started');
    this.started = true;
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onStreamError);
  }

  /** Resolves once stdout takes more: every send waiting on a full pipe shares one 'drain' listener. */
  send(message: JSONRPCMessage | JsonRpcErrorReply): Promise<void> {
    if (this.stdout.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    this.drained ??= new Promise<void>((resolve) => this.stdout.once('drain', () => {
      this.drained = undefined;
      resolve();
    }));
    return this.drained;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStreamError);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.onclose?.();
  }

  private readonly onStreamError = (error: Error): void => this.onerror?.(error);

  private readonly onData = (chunk: Buffer | string): void => {
    for (const line of this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) this.receive(line);
  };

  private receive(line: SplitLine): void {
    if (line.kind === 'oversized') {
      const limit = `${this.maxMessageBytes / (1024 * 1024)} MiB`;
      this.reject(leadingIdOf(line.head), JSON_RPC.invalidRequest, `message too large: over the ${limit} limit of one message on stdio; it was discarded. Send smaller messages.`);
      return;
    }
    if (line.text.trim() === '') return; // a blank line is no message
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      this.reject(null, JSON_RPC.parseError, `Parse error: the line is not valid JSON (${(error as Error).message.slice(0, 120)}); send one JSON-RPC message per line.`);
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.reject(idOf(value), JSON_RPC.invalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message (it needs "jsonrpc": "2.0" and a "method", or a "result" or "error" with its "id"); batches are not supported.');
      return;
    }
    try {
      this.onmessage?.(parsed.data);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  private reject(id: string | number | null, code: number, message: string): void {
    this.onerror?.(new Error(`refused a message from the client: ${message}`));
    void this.send(errorReply(id, code, message));
  }
}
