import { compareFeedEntryIds } from '../../../domain/feed-entry-id.js';
import type { RuntimeLogItem } from '../../../domain/runtime-log-item.js';
import type { FeedEntry, FeedListener, FeedTail, RuntimeLogFeed } from '../../../ports/runtime-log-feed.port.js';

/**
 * Feeds in this process's memory: per app, the newest `capacity` entries with Redis-like ids. store.type: memory uses
 * it with `shared` false (the process is the cluster; the hub follows apps itself and never reads it); with `shared`
 * true, several hubs of one process act as the instances of a cluster (tests).
 */
export class InMemoryRuntimeLogFeed implements RuntimeLogFeed {
  private readonly feeds = new Map<string, FeedEntry[]>();
  private readonly tails = new Map<string, Set<{ after: string; listener: FeedListener }>>();
  private readonly changeListeners = new Map<string, Set<(reason: string) => void>>();
  private lastMs = 0;
  private lastSeq = 0;

  constructor(
    private readonly capacity: number,
    readonly shared = false,
  ) {}

  async append(app: string, items: readonly RuntimeLogItem[]): Promise<void> {
    const feed = this.feeds.get(app) ?? [];
    this.feeds.set(app, feed);
    for (const item of items) feed.push({ id: this.nextId(), item });
    if (feed.length > this.capacity) feed.splice(0, feed.length - this.capacity);
    for (const tail of this.tails.get(app) ?? []) queueMicrotask(() => this.deliver(app, tail));
  }

  async latest(app: string, count: number): Promise<FeedEntry[]> {
    return count > 0 ? (this.feeds.get(app) ?? []).slice(-count) : [];
  }

  tail(app: string, after: string, listener: FeedListener): FeedTail {
    const tail = { after, listener };
    const tails = this.tails.get(app) ?? new Set();
    this.tails.set(app, tails);
    tails.add(tail);
    queueMicrotask(() => this.deliver(app, tail));
    return { close: () => void tails.delete(tail) };
  }

  async announceChange(app: string, reason: string): Promise<void> {
    for (const listener of [...(this.changeListeners.get(app) ?? [])]) queueMicrotask(() => listener(reason));
  }

  async onChange(app: string, listener: (reason: string) => void): Promise<() => Promise<void>> {
    const listeners = this.changeListeners.get(app) ?? new Set();
    this.changeListeners.set(app, listeners);
    listeners.add(listener);
    return async () => void listeners.delete(listener);
  }

  private deliver(app: string, tail: { after: string; listener: FeedListener }): void {
    if (!this.tails.get(app)?.has(tail)) return;
    const entries = (this.feeds.get(app) ?? []).filter((entry) => compareFeedEntryIds(entry.id, tail.after) > 0);
    if (entries.length === 0) return;
    tail.after = entries.at(-1)!.id;
    try {
      tail.listener.entries(entries);
    } catch {
      // the reader's own failure
    }
  }

  /** Like Redis: milliseconds, then a sequence within one millisecond; never going back. */
  private nextId(): string {
    const now = Date.now();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.lastSeq = 0;
    } else {
      this.lastSeq += 1;
    }
    return `${this.lastMs}-${this.lastSeq}`;
  }
}
