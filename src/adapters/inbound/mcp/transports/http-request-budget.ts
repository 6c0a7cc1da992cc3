import { isJSONRPCRequest, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestBudget } from '../../../../application/access/request-budget.js';
import { RateLimited } from '../../../../domain/access-errors.js';
import type { Caller } from '../../../../domain/caller.js';
import { describeDomainError } from '../error-mapper.js';
import type { ToolRegistrar } from '../tool-registrar.js';

/** The requests the rate limit counts (auth.rate_limit); the stdio session counts the same two, in their handlers. */
const COUNTED_METHODS = new Set(['tools/call', 'resources/read']);

export interface RateLimitRefusal {
  readonly retryAfterSeconds: number;
  /** The same text a stdio session's tool error gives. */
  readonly message: string;
}

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
        if (!(error instanceof RateLimited)) throw error;
        await Promise.all(requests.map((refused) => this.recordRefused(caller, refused, error)));
        return { retryAfterSeconds: error.retryAfterSeconds, message: describeDomainError(error) };
      }
    }
    return undefined;
  }

  private async recordRefused(caller: Caller, request: JSONRPCRequest, error: RateLimited): Promise<void> {
    if (request.method !== 'tools/call') return;
    const { name, arguments: args } = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
    if (typeof name !== 'string') return;
    const given = typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
    await this.tools.refusedBeforeServer(caller, name, given, error);
  }
}
