import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../../src/adapters/outbound/redis/redis-connection.js';
import { RedisRuntimeLogFeed } from '../../src/adapters/outbound/redis/redis-runtime-log-feed.adapter.js';
import { StateStoreUnavailable } from '../../src/domain/domain-errors.js';
import { FEED_START } from '../../src/domain/feed-entry-id.js';
import type { FeedEntry } from '../../src/ports/runtime-log-feed.port.js';
import { startRedis, type RedisFixture } from '../support/redis-fixture.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { describeRuntimeLogFeedContract } from './runtime-log-feed-contract.suite.js';

/** store.type: redis against a real redis-server: each instance has its own connection and feed, as a process would. */
let redis: RedisFixture;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.dispose(); });

const CAPACITY = 200;
const connections: RedisConnection[] = [];
afterEach(async () => { await Promise.all(connections.splice(0).map((c) => c.close())); });
async function feedOn(keyPrefix: string): Promise<RedisRuntimeLogFeed> {
  const connection = new RedisConnection({ url: redis.url, keyPrefix, commandTimeoutMs: 500 }, new RecordingLogger());
  connections.push(connection);
  await connection.connect();
  return new RedisRuntimeLogFeed(connection, CAPACITY, new RecordingLogger());
}

describeRuntimeLogFeedContract('redis', async () => {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}:`; // one installation per case
  return { capacity: CAPACITY, slack: 100, instance: () => feedOn(keyPrefix), teardown: async () => undefined };
});

describe('redis runtime log feed: faults', () => {
  const until = async (check: () => boolean, what: string) => {
    for (const deadline = Date.now() + 10_000; !check(); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };

  it('Redis lost: appends and reads fail with StateStoreUnavailable; a tail says lines may be missing and goes on when it is back', async () => {
    const keyPrefix = `fault-${randomUUID().slice(0, 8)}:`;
    const feed = await feedOn(keyPrefix);
    const entries: FeedEntry[] = [];
    const lost: string[] = [];
    const tail = feed.tail('shop', FEED_START, { entries: (list) => void entries.push(...list), lost: (reason) => void lost.push(reason) });
    try {
      await feed.append('shop', [{ type: 'line', line: { message: 'before' } }]);
      await until(() => entries.length === 1, 'the first line');
      await redis.stop();
      await expect(feed.append('shop', [{ type: 'line', line: { message: 'during' } }])).rejects.toBeInstanceOf(StateStoreUnavailable);
      await expect(feed.latest('shop', 1)).rejects.toThrow(/^state store unreachable: Redis at /);
      await redis.start(); // empty: what the tail read is gone
      await until(() => lost.length > 0, 'the tail to say lines may be missing');
      for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 50))) {
        const appended = await feed.append('shop', [{ type: 'line', line: { message: 'after' } }]).then(() => true, () => false);
        if (appended) break;
        if (Date.now() > deadline) throw new Error('Redis did not come back');
      }
      await until(() => entries.some((e) => e.item.type === 'line' && e.item.line.message === 'after'), 'a line after the outage');
      expect(lost[0]).toMatch(/^the state store was unreachable \(.+\); lines may be missing$/);
    } finally {
      tail.close();
      await redis.start();
    }
  });
});
