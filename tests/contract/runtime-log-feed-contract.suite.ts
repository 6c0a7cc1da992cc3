import { compareFeedEntryIds, FEED_START } from '../../src/domain/feed-entry-id.js';
import type { RuntimeLogItem } from '../../src/domain/runtime-log-item.js';
import type { FeedEntry, FeedTail, RuntimeLogFeed } from '../../src/ports/runtime-log-feed.port.js';

/**
 * An installation under test: `instance()` is another instance's view of the same feeds (in memory, the same object;
 * with Redis, its own connection and adapter, as a separate process would have).
 */
export interface FeedSubject {
  /** logs.runtime.stream_buffer_size of every instance. */
  readonly capacity: number;
  /** How many entries past `capacity` the adapter may keep (Redis trims whole nodes with MAXLEN ~). */
  readonly slack: number;
  instance(): Promise<RuntimeLogFeed>;
  teardown(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
const line = (n: number): RuntimeLogItem => ({ type: 'line', line: { timestamp: `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`, process: 'web.1', message: `line ${n}` } });
const messages = (entries: readonly FeedEntry[]) => entries.map((e) => (e.item.type === 'line' ? e.item.line.message : e.item.type));

/** A tail that records what it was given. */
function record(feed: RuntimeLogFeed, app: string, after: string): { entries: FeedEntry[]; lost: string[]; tail: FeedTail } {
  const entries: FeedEntry[] = [];
  const lost: string[] = [];
  const tail = feed.tail(app, after, { entries: (list) => void entries.push(...list), lost: (reason) => void lost.push(reason) });
  return { entries, lost, tail };
}

/** The behaviour every RuntimeLogFeed adapter must have (memory, Redis), through the port only. */
export function describeRuntimeLogFeedContract(name: string, make: () => Promise<FeedSubject>): void {
  describe(`runtime log feed contract: ${name}`, () => {
    let subject: FeedSubject;
    const tails: FeedTail[] = [];
    beforeEach(async () => { subject = await make(); });
    afterEach(async () => {
      tails.splice(0).forEach((t) => t.close());
      await subject.teardown();
    });
    const tailOf = (feed: RuntimeLogFeed, app: string, after: string) => {
      const recorded = record(feed, app, after);
      tails.push(recorded.tail);
      return recorded;
    };

    it('keeps items in append order, markers included, with increasing ids; latest gives the newest, oldest first', async () => {
      const feed = await subject.instance();
      await feed.append('shop', [line(1), line(2)]);
      await feed.append('shop', [{ type: 'gap', missed: 3, reason: 'r' }, line(3)]);
      const all = await feed.latest('shop', 10);
      expect(messages(all)).toEqual(['line 1', 'line 2', 'gap', 'line 3']);
      expect(all[2]!.item).toEqual({ type: 'gap', missed: 3, reason: 'r' });
      expect(all[0]!.item).toEqual(line(1)); // the line whole: timestamp, process, message
      for (let i = 1; i < all.length; i++) expect(compareFeedEntryIds(all[i - 1]!.id, all[i]!.id)).toBeLessThan(0);
      expect(messages(await feed.latest('shop', 2))).toEqual(['gap', 'line 3']);
      expect(await feed.latest('shop', 0)).toEqual([]);
      expect(await feed.latest('other', 5)).toEqual([]); // apps are apart
    });

    it('is capped: the newest `capacity` entries stay, the oldest go', async () => {
      const feed = await subject.instance();
      const total = subject.capacity * 4;
      for (let from = 0; from < total; from += 50) await feed.append('busy', Array.from({ length: 50 }, (_, i) => line(from + i)));
      const kept = await feed.latest('busy', total);
      expect(kept.length).toBeGreaterThanOrEqual(subject.capacity);
      expect(kept.length).toBeLessThanOrEqual(subject.capacity + subject.slack);
      expect(messages(kept).at(-1)).toBe(`line ${total - 1}`);
      expect(messages(kept)).toEqual(Array.from({ length: kept.length }, (_, i) => `line ${total - kept.length + i}`));
    });

    it('a tail on another instance gets the entries after its id, then each new one as it is appended, in order', async () => {
      const writer = await subject.instance();
      const reader = await subject.instance();
      await writer.append('shop', [line(1), line(2), line(3)]);
      const [first] = await reader.latest('shop', 3);
      const fromFirst = tailOf(reader, 'shop', first!.id);
      const fromStart = tailOf(reader, 'shop', FEED_START);
      await eventually(() => fromFirst.entries.length === 2 && fromStart.entries.length === 3, 'the buffered entries');
      for (let n = 4; n <= 40; n++) await writer.append('shop', [line(n)]);
      await eventually(() => fromStart.entries.length === 40, 'every appended entry');
      expect(messages(fromStart.entries)).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i + 1}`));
      expect(fromFirst.entries.map((e) => e.id)).toEqual(fromStart.entries.slice(1).map((e) => e.id));
      expect(fromStart.lost).toEqual([]);
      expect(fromStart.entries.map((e) => e.id)).toEqual((await writer.latest('shop', 40)).map((e) => e.id)); // one id per entry, everywhere
    });

    it('a closed tail hears nothing more; another app\'s entries never reach it', async () => {
      const feed = await subject.instance();
      const other = tailOf(feed, 'other', FEED_START);
      const closed = tailOf(feed, 'shop', FEED_START);
      const open = tailOf(feed, 'shop', FEED_START);
      await feed.append('shop', [line(1)]);
      await eventually(() => closed.entries.length === 1 && open.entries.length === 1, 'the first line');
      closed.tail.close();
      closed.tail.close(); // idempotent
      await feed.append('shop', [line(2)]);
      await eventually(() => open.entries.length === 2, 'the second line');
      await sleep(50);
      expect(messages(closed.entries)).toEqual(['line 1']);
      expect(other.entries).toEqual([]);
    });

    it('a change announced on one instance reaches the listener of that app on another, until it stops listening', async () => {
      const holder = await subject.instance();
      const elsewhere = await subject.instance();
      const heard: string[] = [];
      const others: string[] = [];
      const stop = await holder.onChange('shop', (reason) => void heard.push(reason));
      await holder.onChange('billing', (reason) => void others.push(reason));
      await elsewhere.announceChange('shop', 'deploy succeeded');
      await eventually(() => heard.length === 1, 'the announced change');
      expect(heard).toEqual(['deploy succeeded']);
      await stop();
      await elsewhere.announceChange('shop', 'restart succeeded');
      await sleep(100);
      expect(heard).toEqual(['deploy succeeded']);
      expect(others).toEqual([]);
    });
  });
}
