import { InMemoryDeploymentStore } from '../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import type { Deployment } from '../../src/domain/deployment.js';

/** The real in-memory store, counting live watchers: proves that subscriptions and sessions leave none behind. */
export class CountingDeploymentStore extends InMemoryDeploymentStore {
  live = 0;
  override async watch(id: string, listener: (d: Deployment) => void): Promise<() => void> {
    this.live++;
    const stop = await super.watch(id, listener);
    let stopped = false;
    return () => {
      if (!stopped) this.live--;
      stopped = true;
      stop();
    };
  }
}
