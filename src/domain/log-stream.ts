/**
 * A bounded ring buffer shared by every subscriber of one app's runtime logs, with a cursor per subscriber.
 *
 * Why a ring with absolute sequence numbers: one follower (`dokku logs <app> -t`) feeds many subscribers that read at
 * different speeds. Memory must stay at `capacity` whatever a slow subscriber does, so the buffer is a fixed array and
 * each cursor only remembers the sequence number of the next item it wants. Anything older than the buffer's oldest
 * item was overwritten; the cursor learns how many it lost (`dropped`) on its next read.
 */
export interface LogCursor<T> {
  /**
   * Items since this cursor last read, oldest first; `dropped` counts items this cursor lost because the buffer
   * overflowed before it read them.
   */
  read(max?: number): { items: T[]; dropped: number };
  /** Unread items still in the buffer. */
  readonly pending: number;
  /** Sequence number of the next item this cursor reads (items are numbered from 0 in push order). */
  readonly position: number;
  /**
   * Moves to the end of the stream without reading: returns how many items were passed over (unread ones and those
   * already dropped). For a consumer that could not keep up and only wants what comes next.
   */
  skip(): number;
  /** The cursor was closed, or the stream ended and everything buffered has been read. */
  readonly closed: boolean;
  /** Leave; the stream's subscriberCount drops. Idempotent. */
  close(): void;
}

export interface SubscribeOptions {
  /** Also deliver up to this many of the most recent buffered items. */
  readonly replay?: number;
  /**
   * Resume right after the item with this sequence number (a reconnecting reader's last one); overrides `replay`.
   * Items since then that the buffer no longer holds are reported as `dropped` on the first read.
   */
  readonly after?: number;
  /** Called after each push (and once on end) while the cursor is open; must be cheap. Exceptions are ignored. */
  readonly onAvailable?: () => void;
}

interface CursorState {
  next: number; // sequence number of the next item this cursor wants
  readonly onAvailable?: () => void;
}

export class LogStream<T> {
  private readonly buffer: (T | undefined)[];
  private pushed = 0;
  private isEnded = false;
  private readonly cursors = new Set<CursorState>();
  private readonly idleListeners = new Set<() => void>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LogStream capacity must be an integer >= 1, got ${capacity}`);
    }
    this.buffer = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return Math.min(this.pushed, this.capacity);
  }

  get totalPushed(): number {
    return this.pushed;
  }

  /** Sequence number of the oldest item still buffered (== totalPushed when empty). */
  get oldestSeq(): number {
    return this.oldest;
  }

  /** The buffered items from sequence number `from` on (from the oldest buffered when it is older), oldest first. */
  itemsFrom(from: number): T[] {
    const start = Math.max(from, this.oldest);
    const items: T[] = [];
    for (let seq = start; seq < this.pushed; seq += 1) items.push(this.buffer[seq % this.capacity] as T);
    return items;
  }

  /**
   * Walks the buffered items newest first, with their sequence numbers, until `visit` returns false. O(items visited).
   */
  visitNewest(visit: (item: T, seq: number) => boolean): void {
    for (let seq = this.pushed - 1; seq >= this.oldest; seq -= 1) {
      if (!visit(this.buffer[seq % this.capacity] as T, seq)) return;
    }
  }

  get subscriberCount(): number {
    return this.cursors.size;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** O(1). Overwrites the oldest item when full. Ignored after `end()`: a follower being torn down may still flush. */
  push(item: T): void {
    if (this.isEnded) return;
    this.buffer[this.pushed % this.capacity] = item;
    this.pushed += 1;
    this.notify();
  }

  /** No more items. Cursors can still read what is buffered, then report `closed`. */
  end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.notify(); // wake waiting readers so they can observe `closed`
  }

  /** Starts at the end of the stream (plus `replay` recent items); the subscriber only sees what comes next. */
  subscribe(options: SubscribeOptions = {}): LogCursor<T> {
    const replay = Math.max(0, Math.floor(options.replay ?? 0)) || 0;
    const resume = options.after === undefined ? undefined : Math.min(Math.max(Math.floor(options.after) + 1, 0), this.pushed);
    const next = resume ?? this.pushed - Math.min(replay, this.size);
    const state: CursorState = { next, onAvailable: options.onAvailable };
    this.cursors.add(state);
    let isClosed = false;
    const stream = this;
    return {
      read(max?: number) {
        if (max !== undefined && !(max >= 0)) throw new RangeError(`read max must be >= 0, got ${max}`);
        if (isClosed) return { items: [], dropped: 0 };
        return stream.readFrom(state, max === undefined ? Infinity : Math.floor(max));
      },
      get pending() {
        return isClosed ? 0 : stream.unread(state);
      },
      get position() {
        return Math.max(state.next, stream.oldest);
      },
      skip() {
        if (isClosed) return 0;
        const passed = stream.pushed - state.next;
        state.next = stream.pushed;
        return passed;
      },
      get closed() {
        return isClosed || (stream.isEnded && stream.unread(state) === 0);
      },
      close() {
        if (isClosed) return;
        isClosed = true;
        stream.detach(state);
      },
    };
  }

  /** Called when the last cursor closes (subscriberCount goes to 0). Returns a function that removes the listener. */
  onIdle(listener: () => void): () => void {
    this.idleListeners.add(listener);
    return () => {
      this.idleListeners.delete(listener);
    };
  }

  private get oldest(): number {
    return this.pushed - this.size;
  }

  private unread(state: CursorState): number {
    return this.pushed - Math.max(state.next, this.oldest);
  }

  private readFrom(state: CursorState, max: number): { items: T[]; dropped: number } {
    let dropped = 0;
    if (state.next < this.oldest) {
      dropped = this.oldest - state.next;
      state.next = this.oldest;
    }
    const count = Math.min(this.pushed - state.next, max);
    const items = new Array<T>(count);
    for (let i = 0; i < count; i += 1) {
      items[i] = this.buffer[(state.next + i) % this.capacity] as T;
    }
    state.next += count;
    return { items, dropped };
  }

  private detach(state: CursorState): void {
    this.cursors.delete(state);
    if (this.cursors.size > 0) return;
    for (const listener of [...this.idleListeners]) callSafely(listener);
  }

  private notify(): void {
    // Deleting from a Set while iterating it is safe, so a callback may close its own cursor.
    for (const cursor of this.cursors) {
      if (cursor.onAvailable) callSafely(cursor.onAvailable);
    }
  }
}

/** A subscriber's callback must never break delivery to the others or the follower feeding the stream. */
function callSafely(listener: () => void): void {
  try {
    listener();
  } catch {
    // ignored on purpose
  }
}
