import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../../src/adapters/outbound/redis/redis-connection.js';
import { RedisDeploymentStore } from '../../src/adapters/outbound/redis/redis-deployment-store.adapter.js';
import { startRedis, type RedisFixture } from '../support/redis-fixture.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { describeDeploymentStoreContract, type StoreLimits } from './deployment-store-contract.suite.js';

/** store.type: redis against a real redis-server: each instance has its own connection and store, as a process would. */
let redis: RedisFixture;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.dispose(); });

const LIMITS: StoreLimits = { maxDeployments: 5, maxLogBytes: 1_000, retentionMs: 300 };

describeDeploymentStoreContract('redis', true, LIMITS, async () => {
  const keyPrefix = `test-${randomUUID().slice(0, 8)}:`; // one installation per case
  const made: Array<{ connection: RedisConnection; store: RedisDeploymentStore }> = [];
  return {
    instance: async () => {
      const connection = new RedisConnection({ url: redis.url, keyPrefix }, new RecordingLogger());
      await connection.connect();
      const store = new RedisDeploymentStore(connection, { retentionMs: LIMITS.retentionMs, maxDeployments: LIMITS.maxDeployments, maxLogBytes: LIMITS.maxLogBytes }, new RecordingLogger());
      made.push({ connection, store });
      return store;
    },
    pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    teardown: async () => {
      for (const { connection, store } of made) {
        await store.close();
        await connection.close();
      }
    },
  };
});
