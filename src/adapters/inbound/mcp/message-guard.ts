import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ClientRequestSchema, isJSONRPCRequest, type JSONRPCMessage, type JSONRPCRequest, type MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { errorReply, JSON_RPC } from './json-rpc-errors.js';

/** The schema of every request a client may send, by method (from the SDK's own ClientRequestSchema). */
const REQUEST_SCHEMAS = new Map(ClientRequestSchema.options.map((schema) => [schema.shape.method.value as string, schema]));

/**
 * The longest tool or prompt name (MCP's own rule for tool names) and resource URI a request may carry. Ours are far
 * shorter; past these the SDK would echo the whole value back in its "not found" error, a reply as long as the request.
 */
export const MAX_NAME_CHARS = 128;
export const MAX_URI_CHARS = 2048;
const NAMED = new Set(['tools/call', 'prompts/get']);
const BY_URI = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

/** Requests a client may send before `initialize` (the spec: "The client SHOULD NOT send requests other than pings"). */
const BEFORE_INITIALIZE = new Set(['initialize', 'ping']);

/**
 * Rules the SDK's Server does not enforce, applied to whatever Transport carries the session (stdio now, each HTTP
 * session later), before a message reaches the server:
 * - a request other than `initialize` or `ping` before `initialize` is answered -32600 Invalid Request and never run
 *   (the SDK would run a tools/call against the host with no session negotiated). -32600 rather than the SDK HTTP
 *   transport's -32000 "Server not initialized": it is a standard JSON-RPC code, and the request is invalid in this state;
 * - a known request whose params do not match its schema is answered -32602 Invalid params naming the field (the SDK
 *   answers -32603 Internal error with a raw zod dump), and so is a tool/prompt name or resource URI too long to exist
 *   (the SDK's "not found" would echo all of it).
 * Notifications and responses pass through untouched.
 */
export class MessageGuard implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private initialized = false;

  constructor(private readonly inner: Transport) {
    inner.onmessage = (message, extra) => this.receive(message, extra);
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (isJSONRPCRequest(message)) {
      const refusal = this.refusal(message);
      if (refusal) {
        this.inner.send(errorReply(message.id, refusal.code, refusal.message) as JSONRPCMessage).catch((error: unknown) => this.onerror?.(error as Error));
        return;
      }
      if (message.method === 'initialize') this.initialized = true;
    }
    this.onmessage?.(message, extra);
  }

  private refusal(request: JSONRPCRequest): { code: number; message: string } | undefined {
    if (!this.initialized && !BEFORE_INITIALIZE.has(request.method)) {
      return {
        code: JSON_RPC.invalidRequest,
        message: `Invalid Request: "${request.method.slice(0, 100)}" before "initialize"; initialize the session first (only "ping" may come before it).`,
      };
    }
    const schema = REQUEST_SCHEMAS.get(request.method);
    if (!schema) return undefined; // unknown methods: the server answers -32601 Method not found
    const parsed = schema.safeParse(request);
    if (parsed.success) return this.tooLong(request);
    const [first, ...more] = parsed.error.issues;
    const field = first?.path.length ? first.path.map(String).join('.') : 'params';
    const why = (first?.message ?? 'invalid').replace(/^Invalid input: /, '');
    return {
      code: JSON_RPC.invalidParams,
      message: `Invalid params for ${request.method}: ${field}: ${why}${more.length ? ` (and ${more.length} more)` : ''}.`,
    };
  }

  private tooLong(request: JSONRPCRequest): { code: number; message: string } | undefined {
    const params = request.params as { name?: unknown; uri?: unknown } | undefined;
    const [field, value, max, list] = NAMED.has(request.method)
      ? ['name', params?.name, MAX_NAME_CHARS, request.method === 'tools/call' ? 'tools/list' : 'prompts/list']
      : BY_URI.has(request.method)
        ? ['uri', params?.uri, MAX_URI_CHARS, 'resources/list and resources/templates/list']
        : [];
    if (typeof value !== 'string' || value.length <= (max as number)) return undefined;
    return {
      code: JSON_RPC.invalidParams,
      message: `Invalid params for ${request.method}: params.${field} is ${value.length} characters, longer than any here (at most ${max}); see ${list} for the ones there are.`,
    };
  }
}
