import type { Caller } from '../../domain/caller.js';
import type { LogCursor } from '../../domain/log-stream.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import type { AppFollower } from './app-follower.js';
import { matchesProcess } from './app-follower.js';

/** One event of a subscription: an item and its id, opaque to clients (resume after it with `after`). */
export interface RuntimeLogEvent {
  readonly id: string;
  readonly item: RuntimeLogItem;
}

/** A subscriber's view of one app's live logs. */
export interface RuntimeLogSubscription {
  readonly app: string;
  /** Whose subscription it is (limits count it for this session and tenant until closed). */
  readonly caller: Caller;
  /**
   * Events since the last read, oldest first (at most `max` items of the stream looked at). A subscriber that fell
   * behind the buffer gets a `gap` event first, with how many it lost.
   */
  read(max?: number): RuntimeLogEvent[];
  /** Items waiting to be read (lines of other processes included). */
  readonly pending: number;
  /** The id that resumes right after what was read so far (with `after`): for events made outside the stream, e.g. a backlog. */
  readonly resumeId: string;
  /** Closed, or the stream ended and everything has been read. */
  readonly closed: boolean;
  /**
   * Passes over everything unread, for a consumer that could not take it (a backpressured socket): returns how many
   * items were skipped, for the consumer's own `gap` marker. The next read starts with what comes next.
   */
  skip(): number;
  /** The newest buffered items, `lines` lines at most (with the markers among them), oldest first: for a reader that polls. */
  latest(lines: number): RuntimeLogItem[];
  /**
   * For a reader that polls with `latest`: moves to the end, returning how many (matching) lines came since the last
   * read or catch-up and how many of those the buffer dropped before this reader got to them.
   */
  catchUp(): { lines: number; dropped: number };
  /** Leaves the stream, at once. Idempotent. */
  close(): void;
}

/** Event ids read `<epoch>-<n>`: the n-th item of the stream whose follower has that epoch (n counts from 1). */
export function cursorId(epoch: string, consumed: number): string {
  return `${epoch}-${consumed}`;
}

export function parseCursor(id: string): { epoch: string; seq: number } | undefined {
  const match = /^([0-9a-z]{1,16})-(\d{1,15})$/.exec(id);
  return match ? { epoch: match[1] as string, seq: Number(match[2]) } : undefined;
}

export interface CursorStart {
  readonly after?: number;
  readonly replay?: number;
  /** The resume id named another stream (an earlier follower, another process): what was lost is unknown. */
  readonly foreign?: boolean;
}

export class HubSubscription implements RuntimeLogSubscription {
  readonly app: string;
  private readonly cursor: LogCursor<RuntimeLogItem>;
  private pendingGap?: RuntimeLogItem;
  private isClosed = false;

  constructor(
    private readonly follower: AppFollower,
    readonly caller: Caller,
    private readonly options: { readonly processType?: { readonly value: string }; readonly onAvailable?: () => void },
    start: CursorStart,
    private readonly left: () => void,
  ) {
    this.app = follower.app.value;
    const stream = follower.stream;
    // A stream that ended before we joined still owes us its `end`.
    const replay = stream.ended ? Math.max(start.replay ?? 0, 1) : start.replay;
    this.cursor = stream.subscribe({ after: start.after, replay, onAvailable: options.onAvailable });
    if (start.foreign) {
      this.pendingGap = { type: 'gap', missed: null, reason: 'the stream that event id belongs to is gone (the follower was restarted); what came since is unknown' };
    }
  }

  get pending(): number {
    return this.cursor.pending + (this.pendingGap ? 1 : 0);
  }

  get resumeId(): string {
    return cursorId(this.follower.options.epoch, this.cursor.position);
  }

  get closed(): boolean {
    return this.isClosed || (this.cursor.closed && !this.pendingGap);
  }

  read(max?: number): RuntimeLogEvent[] {
    if (this.isClosed) return [];
    const events: RuntimeLogEvent[] = [];
    const epoch = this.follower.options.epoch;
    if (this.pendingGap) {
      events.push({ id: cursorId(epoch, this.cursor.position), item: this.pendingGap });
      this.pendingGap = undefined;
    }
    const { items, dropped } = this.cursor.read(max);
    const first = this.cursor.position - items.length;
    if (dropped > 0) {
      const reason = `this reader fell behind; the buffer (logs.runtime.stream_buffer_size = ${this.follower.options.bufferSize}) dropped its oldest unread lines`;
      events.push({ id: cursorId(epoch, first), item: { type: 'gap', missed: dropped, reason } });
    }
    const processType = this.options.processType?.value;
    items.forEach((item, index) => {
      if (item.type === 'line' && !matchesProcess(item.line, processType)) return;
      events.push({ id: cursorId(epoch, first + index + 1), item });
    });
    return events;
  }

  catchUp(): { lines: number; dropped: number } {
    if (this.isClosed) return { lines: 0, dropped: 0 };
    this.pendingGap = undefined;
    const { items, dropped } = this.cursor.read();
    const processType = this.options.processType?.value;
    const lines = items.filter((item) => item.type === 'line' && matchesProcess(item.line, processType)).length;
    return { lines: lines + dropped, dropped };
  }

  skip(): number {
    if (this.isClosed) return 0;
    return this.cursor.skip();
  }

  latest(lines: number): RuntimeLogItem[] {
    const processType = this.options.processType?.value;
    const items: RuntimeLogItem[] = [];
    let count = 0;
    this.follower.stream.visitNewest((item) => {
      if (item.type === 'line') {
        if (!matchesProcess(item.line, processType)) return true;
        if (count >= lines) return false;
        count += 1;
      }
      items.push(item);
      return true;
    });
    return items.reverse();
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.cursor.close();
    this.left();
  }
}
