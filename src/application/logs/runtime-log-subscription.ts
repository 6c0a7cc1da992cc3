import type { Caller } from '../../domain/caller.js';
import type { LogCursor } from '../../domain/log-stream.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import { matchesProcess } from './app-follower.js';
import type { CursorStart, LogSource } from './log-source.js';

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

export { cursorId, parseCursor, type CursorStart } from './log-source.js';

export class HubSubscription implements RuntimeLogSubscription {
  readonly app: string;
  private readonly cursor: LogCursor<RuntimeLogItem>;
  private pendingGap?: RuntimeLogItem;
  private isClosed = false;

  constructor(
    private readonly source: LogSource,
    readonly caller: Caller,
    private readonly options: { readonly processType?: { readonly value: string }; readonly onAvailable?: () => void },
    start: CursorStart,
    private readonly left: () => void,
  ) {
    this.app = source.app.value;
    const stream = source.stream;
    // A stream that ended before we joined still owes us its `end`.
    const replay = stream.ended ? Math.max(start.replay ?? 0, 1) : start.replay;
    this.cursor = stream.subscribe({ after: start.after, replay, onAvailable: options.onAvailable });
    if (start.gap !== undefined) this.pendingGap = { type: 'gap', missed: null, reason: start.gap };
  }

  get pending(): number {
    return this.cursor.pending + (this.pendingGap ? 1 : 0);
  }

  get resumeId(): string {
    return this.source.eventId(this.cursor.position);
  }

  get closed(): boolean {
    return this.isClosed || (this.cursor.closed && !this.pendingGap);
  }

  read(max?: number): RuntimeLogEvent[] {
    if (this.isClosed) return [];
    const events: RuntimeLogEvent[] = [];
    const source = this.source;
    if (this.pendingGap) {
      events.push({ id: source.eventId(this.cursor.position), item: this.pendingGap });
      this.pendingGap = undefined;
    }
    const { items, dropped } = this.cursor.read(max);
    const first = this.cursor.position - items.length;
    if (dropped > 0) {
      const reason = `this reader fell behind; the buffer (logs.runtime.stream_buffer_size = ${source.bufferSize}) dropped its oldest unread lines`;
      events.push({ id: source.eventId(first), item: { type: 'gap', missed: dropped, reason } });
    }
    const processType = this.options.processType?.value;
    items.forEach((item, index) => {
      if (item.type === 'line' && !matchesProcess(item.line, processType)) return;
      events.push({ id: source.eventId(first + index + 1), item });
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
    this.source.stream.visitNewest((item) => {
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
