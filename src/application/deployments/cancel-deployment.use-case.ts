import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { Conflict, type AccessDenied, type DeploymentNotFound, type HostUnreachable, type InvalidArgument, type Unsupported } from '../../domain/domain-errors.js';
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
    deployment.requestCancel();
    try {
      await this.deploys.cancel(deployment.app);
    } catch (error) {
      deployment.withdrawCancelRequest();
      throw error;
    }
    return deployment;
  }
}
