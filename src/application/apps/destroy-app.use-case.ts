import { inject, injectable } from 'inversify';
import type { AppName } from '../../domain/app-name.js';
import { DeploymentAlreadyRunning, type AppNotFound, type HostUnreachable, type InvalidArgument, type AccessDenied } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';
import { ContainerChanges } from '../logs/container-changes.js';
import { IdGenerator } from '../../ports/id-generator.port.js';
import { DeployLocks, type AppBeingDestroyed } from '../deployments/deploy-locks.js';

export type DestroyAppError = InvalidArgument | AccessDenied | AppNotFound | DeploymentAlreadyRunning | AppBeingDestroyed | HostUnreachable;

/** Destroys an app and everything it runs. Confirmation is the caller's (inbound adapter's) duty. */
@injectable()
export class DestroyApp {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(ContainerChanges) private readonly containers: ContainerChanges,
    @inject(DeployLocks) private readonly locks: DeployLocks,
    @inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<AppName> {
    const app = this.access.app(caller, input.appName, 'write');
    // The app's deploy lock first, so a deploy issued at the same instant is refused (or refuses this) before the host
    // is asked anything; then the host builds we follow (they hold no lock of ours).
    const lease = await this.locks.takeForDestroy(app, this.ids.sortableId());
    try {
      const running = (await this.store.list({ app: app.value, activeOnly: true }))[0];
      if (running) throw new DeploymentAlreadyRunning(app.value, running.id);
      await this.apps.destroy(app);
    } finally {
      await lease.release();
    }
    this.containers.replaced(app, 'destroyed');
    return app;
  }
}
