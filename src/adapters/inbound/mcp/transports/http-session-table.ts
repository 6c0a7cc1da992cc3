import type { Caller } from '../../../../domain/caller.js';
import type { Logger } from '../../../../ports/logger.port.js';

export interface SessionLimits {
  /** transport.max_sessions, Streamable HTTP and SSE together. */
  readonly maxSessions: number;
  /** transport.session_idle_minutes in ms. */
  readonly idleMs: number;
}

export type HttpSessionKind = 'http' | 'sse';

/** One open MCP session over HTTP, as the table sees it. */
export interface TrackedSession {
  readonly id: string;
  readonly kind: HttpSessionKind;
  /** Who the session acts for; it belongs to the token it was opened with (`caller.tokenId`). */
  readonly caller: Caller;
  /** Marks a request or stream of the session as open; call the returned function once when it ends. */
  open(): () => void;
}

interface Entry extends TrackedSession {
  active: number;
  idleSince: number;
  timer: NodeJS.Timeout | undefined;
  readonly close: () => Promise<void>;
}

/**
 * The HTTP sessions open at once, with their cap and their idle expiry. A session is idle while it has no request in
 * flight and no open stream (the GET stream, or the legacy SSE stream); idle for `idleMs`, it is closed (which drops
 * its subscriptions) and forgotten, so its id then gets 404 and the client re-initializes, as the spec says.
 */
export class HttpSessionTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly limits: SessionLimits,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get isFull(): boolean {
    return this.entries.size >= this.limits.maxSessions;
  }

  /**
   * For a refused client's Retry-After: until the first idle session (of `tenant`, when given) expires, else one idle
   * period; at least 1 s.
   */
  retryAfterSeconds(tenant?: string): number {
    let soonest = this.limits.idleMs;
    for (const entry of this.entries.values()) {
      if (tenant !== undefined && entry.caller.tenant !== tenant) continue;
      if (entry.active === 0) soonest = Math.min(soonest, entry.idleSince + this.limits.idleMs - this.now());
    }
    return Math.max(1, Math.ceil(soonest / 1000));
  }

  /** Registers a session (the caller checked `isFull` in the same tick); `close` ends it for good. */
  add(id: string, kind: HttpSessionKind, caller: Caller, close: () => Promise<void>): TrackedSession {
    const entry: Entry = {
      id,
      kind,
      caller,
      active: 0,
      idleSince: this.now(),
      timer: undefined,
      close,
      open: () => {
        entry.active++;
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = undefined;
        let ended = false;
        return () => {
          if (ended) return;
          ended = true;
          entry.active--;
          if (entry.active === 0 && this.entries.get(id) === entry) this.armIdle(entry);
        };
      },
    };
    this.entries.set(id, entry);
    this.armIdle(entry);
    return entry;
  }

  /**
   * The session `id` of this kind if it belongs to `tokenId` (the token of the request naming it; null without
   * tokens). Another token's session is undefined, exactly like one that does not exist: a token cannot take over,
   * nor learn of, a session it did not open.
   */
  get(id: string, kind: HttpSessionKind, tokenId: string | null): TrackedSession | undefined {
    const entry = this.entries.get(id);
    return entry?.kind === kind && entry.caller.tokenId === tokenId ? entry : undefined;
  }

  /** Forgets a session that ended by itself (DELETE, stream closed, transport error). */
  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.entries.delete(id);
  }

  /** Closes every session (shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    for (const entry of all) this.remove(entry.id);
    await Promise.all(all.map((entry) => entry.close().catch(() => undefined)));
  }

  private armIdle(entry: Entry): void {
    entry.idleSince = this.now();
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (this.entries.get(entry.id) !== entry || entry.active > 0) return;
      this.remove(entry.id);
      this.logger.info('MCP session closed after being idle', { session: entry.id, transport: entry.kind, idle_ms: this.limits.idleMs });
      entry.close().catch((error: unknown) => this.logger.warn('error while closing an idle MCP session', { session: entry.id, error: String(error) }));
    }, this.limits.idleMs);
    entry.timer.unref();
  }
}
