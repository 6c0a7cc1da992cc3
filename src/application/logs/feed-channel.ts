import type { AppName } from '../../domain/app-name.js';
import { compareFeedEntryIds, FEED_START, feedEntryIdBefore, parseFeedEntryId } from '../../domain/feed-entry-id.js';
import { LogStream } from '../../domain/log-stream.js';
import type { RuntimeLogItem } from '../../domain/runtime-log-item.js';
import type { FeedEntry, FeedTail, RuntimeLogFeed } from '../../ports/runtime-log-feed.port.js';
import { FOREIGN_ID, type CursorStart, type LogSource } from './log-source.js';

/** How long a resume id newer than anything read here is waited for (another instance's reader may be a little ahead). */
const CATCH_UP_MS = 1_000;
const OLDER_THAN_BUFFER = 'that event id is older than what the stream still holds (logs.runtime.stream_buffer_size); the lines in between are lost';

/**
 * One instance's reader of one app's shared feed (store.type: redis): the feed's newest entries, then every new one,
 * in a local LogStream that this instance's subscribers read with their own cursors — one read of the store per app
 * per instance, however many subscribers. Event ids are the feed's entry ids, so a client resumes on any instance.
 * It lingers `lingerMs` after its last subscriber left, and ends when the feed carries the app's `end`.
 */
export class FeedChannel implements LogSource {
  readonly stream: LogStream<RuntimeLogItem>;
  /** Entry ids, a ring beside the stream's: ids[seq % capacity] is the id of item `seq`. */
  private readonly ids: string[];
  /** The newest entry read as history when the channel opened (FEED_START when none). */
  historyEnd = FEED_START;
  /** Whether this channel handed out FEED_START (to a subscriber that joined it while the feed was empty). */
  private issuedStart = false;
  private tail?: FeedTail;
  private lingerTimer?: ReturnType<typeof setTimeout>;
  private over = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly app: AppName,
    private readonly feed: RuntimeLogFeed,
    readonly bufferSize: number,
    private readonly lingerMs: number,
    /** Called once, when the channel is over (lingered out, stopped, or the app's stream ended). */
    private readonly gone: (channel: FeedChannel) => void,
  ) {
    this.stream = new LogStream<RuntimeLogItem>(bufferSize);
    this.ids = new Array<string>(bufferSize);
  }

  get isOver(): boolean {
    return this.over;
  }

  get lingering(): boolean {
    return this.lingerTimer !== undefined;
  }

  /** Reads the feed's buffered entries, then follows it. Throws StateStoreUnavailable (the channel is over then). */
  async open(): Promise<void> {
    let history: FeedEntry[];
    try {
      history = await this.feed.latest(this.app.value, this.bufferSize);
    } catch (error) {
      this.stop();
      throw error;
    }
    if (this.over) return;
    for (const entry of history) this.put(entry.id, entry.item);
    this.historyEnd = history.at(-1)?.id ?? FEED_START;
    this.tail = this.feed.tail(this.app.value, this.historyEnd, {
      entries: (entries) => entries.forEach((entry) => this.onEntry(entry)),
      lost: (reason) => this.put(this.newestId, { type: 'gap', missed: null, reason }),
    });
  }

  /** Resolves once an entry with id `after` (or later) has been read here, or after a moment: see CATCH_UP_MS. */
  async caughtUp(after: string | undefined): Promise<void> {
    if (after === undefined || !parseFeedEntryId(after)) return;
    const behind = () => !this.over && compareFeedEntryIds(after, this.newestId) > 0;
    if (!behind()) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (behind()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => (this.waiters.delete(check), resolve()), CATCH_UP_MS);
      this.waiters.add(check);
    });
  }

  eventId(consumed: number): string {
    const { oldestSeq, totalPushed } = this.stream;
    if (consumed >= 1 && consumed - 1 >= oldestSeq && consumed - 1 < totalPushed) return this.idAt(consumed - 1);
    if (consumed >= oldestSeq && consumed < totalPushed) return feedEntryIdBefore(this.idAt(consumed));
    const id = consumed <= 0 ? FEED_START : this.newestId;
    if (id === FEED_START) this.issuedStart = true;
    return id;
  }

  start(options: { readonly after?: string; readonly backlog?: number }): CursorStart {
    const { after } = options;
    if (after === undefined) return { replay: options.backlog };
    if (!parseFeedEntryId(after)) return { gap: FOREIGN_ID };
    const { oldestSeq, totalPushed } = this.stream;
    // A backlog's id, when nothing has left this buffer since it opened: all of it follows, no gap. Either the id just
    // before its first entry (ids are unique to a feed and grow: nothing can lie between), or FEED_START handed out by
    // this very channel, which opened on an empty feed (a loss of the feed since would have put a gap in it). FEED_START
    // from elsewhere may predate a feed that was lost (a Redis without persistence restarted): that is a gap.
    const fromStart = oldestSeq === 0 && ((after === FEED_START && this.issuedStart) || (totalPushed > 0 && after === feedEntryIdBefore(this.idAt(0))));
    if (fromStart) return { after: -1 };
    if (totalPushed === oldestSeq) return { gap: OLDER_THAN_BUFFER };
    if (compareFeedEntryIds(after, this.idAt(oldestSeq)) < 0) return { after: oldestSeq - 1, gap: OLDER_THAN_BUFFER };
    if (compareFeedEntryIds(after, this.newestId) > 0) return { gap: FOREIGN_ID };
    // The last item at or before `after` (ids increase; a local gap repeats the id before it).
    let low = oldestSeq;
    let high = totalPushed - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (compareFeedEntryIds(this.idAt(middle), after) <= 0) low = middle;
      else high = middle - 1;
    }
    return { after: low };
  }

  linger(): void {
    if (this.over || this.lingerTimer) return;
    if (this.lingerMs <= 0) return this.stop();
    this.lingerTimer = setTimeout(() => this.stop(), this.lingerMs);
    this.lingerTimer.unref?.();
  }

  keep(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  /** Stops reading and ends the local stream (subscribers read what is buffered, then are closed). Idempotent. */
  stop(): void {
    if (this.over) return;
    this.over = true;
    this.keep();
    this.tail?.close();
    this.stream.end();
    for (const waiter of [...this.waiters]) waiter();
    this.gone(this);
  }

  private get newestId(): string {
    const { totalPushed, oldestSeq } = this.stream;
    return totalPushed > oldestSeq ? this.idAt(totalPushed - 1) : FEED_START;
  }

  private idAt(seq: number): string {
    return this.ids[seq % this.bufferSize] as string;
  }

  private put(id: string, item: RuntimeLogItem): void {
    if (this.over) return;
    this.ids[this.stream.totalPushed % this.bufferSize] = id;
    this.stream.push(item);
  }

  private onEntry(entry: FeedEntry): void {
    this.put(entry.id, entry.item);
    for (const waiter of [...this.waiters]) waiter();
    if (entry.item.type === 'end') this.stop(); // the app's stream is over; the next subscriber opens a new channel
  }
}
