import { InMemoryDeploymentStore } from '../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { FakeClock } from '../support/fake-clock.js';
import { describeDeploymentStoreContract, type StoreLimits } from './deployment-store-contract.suite.js';

const LIMITS: StoreLimits = { maxDeployments: 5, maxLogBytes: 1_000, retentionMs: 60_000 };

// store.type: memory: the process is the installation, so every "instance" is the same store.
describeDeploymentStoreContract('memory', false, LIMITS, async () => {
  const clock = new FakeClock();
  const store = new InMemoryDeploymentStore(clock, { retentionMs: LIMITS.retentionMs, maxDeployments: LIMITS.maxDeployments });
  return {
    instance: async () => store,
    pass: async (ms) => clock.advance(ms),
    teardown: async () => undefined,
  };
});
