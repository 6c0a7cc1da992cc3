import type { Caller } from '../../../domain/caller.js';
import type { LiveLogs } from './subscriptions.js';

/** What every tool, resource and subscription of one session needs to know about it. */
export interface SessionContext {
  /** Who the session acts for. */
  readonly caller: Caller;
  /**
   * Whether tools/call and resources/read take from the caller's rate limit here (stdio). False where the transport
   * already did, before the message reached the server (HTTP answers 429 itself).
   */
  readonly countRequests: boolean;
  /** The session's live log streams (resource subscriptions to dokku://app/{name}/logs). */
  readonly liveLogs?: LiveLogs;
}
