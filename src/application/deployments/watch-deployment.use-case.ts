import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import type { DeploymentNotFound, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { GetDeployment } from './get-deployment.use-case.js';

export type WatchDeploymentError = InvalidArgument | DeploymentNotFound | HostUnreachable;

/** Calls `listener` whenever the deployment's log grows or its status changes; returns the function that stops it. */
@injectable()
export class WatchDeployment {
  constructor(
    @inject(GetDeployment) private readonly getDeployment: GetDeployment,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
  ) {}

  async execute(caller: Caller, input: { deploymentId: string }, listener: (deployment: Deployment) => void): Promise<() => void> {
    const deployment = await this.getDeployment.execute(caller, input);
    return this.store.watch(deployment.key, listener);
  }
}
