import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { Deployment } from '../../domain/deployment.js';
import { DeploymentNotFound, InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type GetDeploymentError = InvalidArgument | DeploymentNotFound;

/** One deployment by id, with its status and build log; a deployment of an app the caller does not see is unknown to it. */
@injectable()
export class GetDeployment {
  constructor(
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  execute(caller: Caller, input: { deploymentId: string }): Deployment {
    const id = input.deploymentId;
    if (typeof id !== 'string' || !Deployment.isId(id)) {
      throw new InvalidArgument('deployment_id', `a deployment id looks like "deploy_01jd3k5x7m2q"; got ${JSON.stringify(String(id).slice(0, 60))}`,
        'Use the deployment_id returned by deploy_app, or call list_deployments.');
    }
    const deployment = this.store.get(id);
    if (!deployment) throw new DeploymentNotFound(id);
    return this.access.deployment(caller, deployment);
  }
}
