import { FEED_START } from '../../../domain/feed-entry-id.js';
import type { RuntimeLogItem } from '../../../domain/runtime-log-item.js';
import type { Logger } from '../../../ports/logger.port.js';
import type { FeedEntry, FeedListener, FeedTail, RuntimeLogFeed } from '../../../ports/runtime-log-feed.port.js';
import type { RedisClient, RedisConnection } from './redis-connection.js';

/** A blocking read waits this long for new entries before it is issued again (and the link proves alive). */
const BLOCK_MS = 2_000;
/** Entries taken per read. */
const READ_COUNT = 1_000;
/** A feed nobody has written to for this long is removed by Redis. */
const IDLE_EXPIRY_MS = 24 * 60 * 60 * 1000;
const retryDelay = (failures: number): number => Math.min(100 * 2 ** Math.min(failures, 5), 2_000);

/**
 * Runtime-log feeds in Redis: a stream `<prefix>logs:<app>` per app, each entry one item as JSON in field `i`, capped
 * with XADD MAXLEN ~ logs.runtime.stream_buffer_size (Redis trims whole nodes: a few entries more may stay). Each
 * reader has a connection of its own (XREAD BLOCK holds it); an instance opens one reader per app it serves and fans
 * out locally. Container changes reach the app's follower over pub/sub, channel `<prefix>logs-changed:<app>`.
 */
export class RedisRuntimeLogFeed implements RuntimeLogFeed {
  readonly shared = true;

  constructor(
    private readonly redis: RedisConnection,
    private readonly capacity: number,
    private readonly logger: Logger,
  ) {}

  async append(app: string, items: readonly RuntimeLogItem[]): Promise<void> {
    if (items.length === 0) return;
    const key = this.key(app);
    await this.redis.run((client) => {
      const batch = client.multi();
      for (const item of items) {
        batch.xAdd(key, '*', { i: JSON.stringify(item) }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.capacity } });
      }
      return batch.pExpire(key, IDLE_EXPIRY_MS).exec();
    });
  }

  async latest(app: string, count: number): Promise<FeedEntry[]> {
    if (count <= 0) return [];
    const newestFirst = await this.redis.run((client) => client.xRevRange(this.key(app), '+', '-', { COUNT: count }));
    return entriesOf(newestFirst ?? []).reverse();
  }

  tail(app: string, after: string, listener: FeedListener): FeedTail {
    const key = this.key(app);
    let closed = false;
    let client: RedisClient | undefined;
    let last = after;
    const loop = async (): Promise<void> => {
      let failures = 0;
      let trouble: string | undefined;
      while (!closed) {
        try {
          client ??= await this.redis.dedicated();
          if (closed) break;
          if (trouble !== undefined) {
            // Entries are kept after an outage unless Redis restarted or trimmed past ours: then some were lost.
            const still = last === FEED_START ? [null] : await this.redis.run((c) => c.xRange(key, last, last));
            if (!still || still.length === 0) call(() => listener.lost(`the state store was unreachable (${trouble}); lines may be missing`));
            trouble = undefined;
          }
          const reply = await this.redis.bounded(client.xRead({ key, id: last }, { BLOCK: BLOCK_MS, COUNT: READ_COUNT }), BLOCK_MS);
          failures = 0;
          const entries = entriesOf(reply?.[0]?.messages ?? []);
          if (closed || entries.length === 0) continue;
          last = entries.at(-1)!.id;
          call(() => listener.entries(entries));
        } catch (error) {
          if (closed) break;
          trouble ??= error instanceof Error ? error.message : String(error);
          if (failures === 0) this.logger.debug('runtime-log feed read failed; retrying', { app, error: trouble });
          if (client && !client.isOpen) client = undefined;
          await new Promise((resolve) => setTimeout(resolve, retryDelay(failures++)).unref());
        }
      }
      if (client?.isOpen) client.destroy();
    };
    void loop();
    return {
      close: () => {
        if (closed) return;
        closed = true;
        if (client?.isOpen) client.destroy(); // ends a read blocked now
      },
    };
  }

  async announceChange(app: string, reason: string): Promise<void> {
    await this.redis.publish(this.redis.key('logs-changed', app), reason);
  }

  async onChange(app: string, listener: (reason: string) => void): Promise<() => Promise<void>> {
    return this.redis.subscribe(this.redis.key('logs-changed', app), listener);
  }

  private key(app: string): string {
    return this.redis.key('logs', app);
  }
}

function call(callback: () => void): void {
  try {
    callback();
  } catch {
    // the listener's own failure
  }
}

/** Stream entries as feed entries; an entry that is not one of ours (written by hand, a newer version) is skipped. */
function entriesOf(messages: ReadonlyArray<{ id: string; message: Record<string, string> } | null>): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const message of messages) {
    if (!message) continue;
    try {
      const item = JSON.parse(String(message.message.i)) as RuntimeLogItem;
      if (item && typeof item === 'object' && typeof item.type === 'string') entries.push({ id: message.id, item });
    } catch {
      // not ours
    }
  }
  return entries;
}
