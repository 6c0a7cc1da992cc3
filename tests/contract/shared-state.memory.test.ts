import { InMemoryClusterLock } from '../../src/adapters/outbound/memory/in-memory-cluster-lock.adapter.js';
import { InMemoryRateLimiter } from '../../src/adapters/outbound/memory/in-memory-rate-limiter.adapter.js';
import { InMemorySessionPresence } from '../../src/adapters/outbound/memory/in-memory-session-presence.adapter.js';
import { SystemClock } from '../../src/adapters/outbound/system/system-clock.adapter.js';
import type { RateLimiter } from '../../src/ports/rate-limiter.port.js';
import { describeSharedStateContract, type StateInstance } from './shared-state-contract.suite.js';

// store.type: memory: the process is the installation, so every "instance" is the same adapters.
describeSharedStateContract('memory', false, async () => {
  const limiters = new Map<string, RateLimiter>();
  const clock = new SystemClock();
  const one: StateInstance = {
    limiter: (limit) => {
      const key = JSON.stringify(limit);
      if (!limiters.has(key)) limiters.set(key, new InMemoryRateLimiter(limit, clock));
      return limiters.get(key)!;
    },
    presence: new InMemorySessionPresence(),
    lock: new InMemoryClusterLock(),
    die: () => undefined,
  };
  return { leaseMs: 300, instance: async () => one, teardown: async () => undefined };
});
