import { isJSONRPCRequest, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestBudget } from '../../../../application/access/request-budget.js';
import { RateLimited } from '../../../../domain/access-errors.js';
import type { Caller } from '../../../../domain/caller.js';
import { StateStoreUnavailable } from '../../../../domain/domain-errors.js';
import { describeDomainError } from '../error-mapper.js';
import type { ToolRegistrar } from '../tool-registrar.js';

/** The requests the rate limit counts (auth.rate_limit); the stdio session counts the same two, in their handlers. */
const COUNTED_METHODS = new Set(['tools/call', 'resources/read']);

export type RateLimitRefusal =
  /** The bucket is spent: 429 with Retry-After. */
  | { readonly kind: 'limited'; readonly retryAfterSeconds: number; readonly message: string }
  /**
   * The shared state store (Redis) holding the buckets does not answer: the counted requests are answered as a stdio
   * session answers them (a tool error, a JSON-RPC error for a read), never run unmetered.
   */
  | { readonly kind: 'unavailable'; readonly message: string; readonly requests: readonly JSONRPCRequest[] };

/**
 * The rate limit where HTTP must answer it (429 + Retry-After) before the SDK sees the POST: each tools/call and
 * resources/read request of the body takes from the caller's bucket through the one RequestBudget. Responses (an
 * elicitation answer), notifications (a cancellation) and pings are never counted. A refused POST runs none of its
 * messages; each tools/call in it is recorded (metric, and the audit for a tool with side effects) as denied, as a
 * stdio session records its refused calls. Sessions served this way are created with countRequests: false.
 */
export class HttpRequestBudget {
  constructor(
    private readonly budget: RequestBudget,
    private readonly tools: ToolRegistrar,
  ) {}

  async admit(caller: Caller, body: unknown): Promise<RateLimitRefusal | undefined> {
    const requests = (Array.isArray(body) ? body : [body]).filter(
      (message): message is JSONRPCRequest => isJSONRPCRequest(message) && COUNTED_METHODS.has(message.method),
    );
    for (const request of requests) {
      try {
        await this.budget.admit(caller);
      } catch (error) {
        if (!(error instanceof RateLimited) && !(error instanceof StateStoreUnavailable)) throw error;
        await Promise.all(requests.map((refused) => this.recordRefused(caller, refused, error)));
        if (error instanceof StateStoreUnavailable) return { kind: 'unavailable', message: describeDomainError(error), requests };
        return { kind: 'limited', retryAfterSeconds: error.retryAfterSeconds, message: describeDomainError(error) };
      }
    }
    return undefined;
  }

  private async recordRefused(caller: Caller, request: JSONRPCRequest, error: RateLimited | StateStoreUnavailable): Promise<void> {
    if (request.method !== 'tools/call') return;
    const { name, arguments: args } = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
    if (typeof name !== 'string') return;
    const given = typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
    await this.tools.refusedBeforeServer(caller, name, given, error);
  }
}
