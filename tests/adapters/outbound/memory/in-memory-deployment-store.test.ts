import { InMemoryDeploymentStore } from '../../../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { DeploymentMother } from '../../../support/mothers/deployment.mother.js';

describe('InMemoryDeploymentStore sweeping', () => {
  it('frees finished deployments on its timer, with nobody reading the store', async () => {
    const clock = new FakeClock();
    const store = new InMemoryDeploymentStore(clock, { retentionMs: 1000, maxDeployments: 10, sweepIntervalMs: 5 });
    try {
      await store.add(DeploymentMother.succeeded({ createdAt: clock.now() }), DeploymentMother.log());
      await store.add(DeploymentMother.running({ createdAt: clock.now() }), DeploymentMother.log());
      expect(store.size).toBe(2);
      clock.advance(60_000);
      for (let i = 0; i < 200 && store.size > 1; i++) await new Promise((r) => setTimeout(r, 5));
      expect(store.size).toBe(1); // the running one stays
    } finally {
      store.stopSweeping();
    }
  });

  it('without a sweep interval nothing is freed until the store is used', async () => {
    const clock = new FakeClock();
    const store = new InMemoryDeploymentStore(clock, { retentionMs: 1000, maxDeployments: 10 });
    await store.add(DeploymentMother.succeeded({ createdAt: clock.now() }), DeploymentMother.log());
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 30));
    expect(store.size).toBe(1);
    expect((await store.list())).toEqual([]);
    expect(store.size).toBe(0);
  });
});
