import { randomUUID } from 'node:crypto';
import { RedisClusterLock } from '../../src/adapters/outbound/redis/redis-cluster-lock.adapter.js';
import { RedisConnection } from '../../src/adapters/outbound/redis/redis-connection.js';
import { RedisRateLimiter } from '../../src/adapters/outbound/redis/redis-rate-limiter.adapter.js';
import { RedisSessionPresence } from '../../src/adapters/outbound/redis/redis-session-presence.adapter.js';
import { startRedis, type RedisFixture } from '../support/redis-fixture.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { describeSharedStateContract, type StateInstance } from './shared-state-contract.suite.js';

/** store.type: redis against a real redis-server: each instance has its own connection and adapters, as a process would. */
let redis: RedisFixture;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.dispose(); });

const LEASE_MS = 600; // renewed every 200 ms: room for a busy machine's stalls

describeSharedStateContract('redis', true, async () => {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}:`; // one installation per case
  const connections: RedisConnection[] = [];
  const stops: Array<() => void> = [];
  const instance = async (): Promise<StateInstance> => {
    const connection = new RedisConnection({ url: redis.url, keyPrefix }, new RecordingLogger());
    connections.push(connection);
    await connection.connect();
    const presence = new RedisSessionPresence(connection, LEASE_MS, new RecordingLogger());
    const lock = new RedisClusterLock(connection, LEASE_MS);
    const die = () => { presence.stop(); lock.stop(); };
    stops.push(die);
    return { limiter: (limit) => new RedisRateLimiter(limit, connection), presence, lock, die };
  };
  return {
    leaseMs: LEASE_MS,
    instance,
    teardown: async () => {
      for (const stop of stops) stop();
      await Promise.all(connections.map((c) => c.close()));
    },
  };
});
