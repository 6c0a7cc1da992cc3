import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { Conflict, type AccessDenied, type DeploymentNotFound, type HostUnreachable, type InvalidArgument, type Unsupported } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuDeploys } from '../../ports/dokku-deploys.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { GetDeployment } from './get-deployment.use-case.js';

export type CancelDeploymentError = InvalidArgument | AccessDenied | DeploymentNotFound | Conflict | Unsupported | HostUnreachable;

/** Cancels a running deployment (`builds:cancel`, Dokku 0.38+). The deployment ends as `canceled` shortly after. */
@injectable()
export class CancelDeployment {
  constructor(
    @inject(GetDeployment) private readonly getDeployment: GetDeployment,
    @inject(DokkuDeploys) private readonly deploys: DokkuDeploys,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
  ) {}

  async execute(caller: Caller, input: { deploymentId: string }): Promise<Deployment> {
    this.access.require(caller, 'write', 'cancel_deployment');
    const deployment = await this.getDeployment.execute(caller, input);
    if (!deployment.isActive) {
      throw new Conflict(
        `Deployment ${deployment.id} has already ended (${deployment.status}).`,
        'Nothing to cancel; get_deployment_status shows how it ended.',
        deployment.id,
      );
    }
    // Noted before it is sent (the deploy may exit at once), where the instance running it will read it.
    await this.store.requestCancel(deployment.key, true);
    try {
      await this.deploys.cancel(deployment.app);
    } catch (error) {
      await this.store.requestCancel(deployment.key, false).catch(() => undefined);
      throw error;
    }
    return deployment;
  }
}
