import { inject, injectable } from 'inversify';
import { DeploymentNotVisible } from '../../domain/access-errors.js';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { deploymentRef } from '../../domain/deployment-id.js';
import { AppNotFound, DeploymentNotFound, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { HostDeployments } from './host-deployments.js';

export type GetDeploymentError = InvalidArgument | DeploymentNotFound | HostUnreachable;

/**
 * One deployment by id, with its status and build log: from memory, else (an `<app>.<build id>` id) from the host's
 * build record. A deployment of an app the caller does not see is unknown to it, and is not looked up on the host.
 */
@injectable()
export class GetDeployment {
  constructor(
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(HostDeployments) private readonly host: HostDeployments,
  ) {}

  async execute(caller: Caller, input: { deploymentId: string }): Promise<Deployment> {
    const ref = deploymentRef(input.deploymentId);
    const held = await this.store.get(ref.id);
    if (held) return this.access.deployment(caller, held);
    if (ref.type === 'host') {
      if (!this.access.sees(caller, ref.app.value)) throw new DeploymentNotVisible(ref.id);
      const loaded = await this.host.load(ref).catch((error: unknown) => {
        if (error instanceof AppNotFound) return undefined; // the app is gone, and its builds with it
        throw error;
      });
      if (loaded) return loaded;
    }
    throw new DeploymentNotFound(ref.id);
  }
}
