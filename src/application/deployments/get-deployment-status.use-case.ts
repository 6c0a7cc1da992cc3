import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { GetDeployment, type GetDeploymentError } from './get-deployment.use-case.js';

export type GetDeploymentStatusError = GetDeploymentError;

export interface DeploymentStatusReport {
  readonly deployment: Deployment;
  /** Once it has ended: the last lines of its build log (while it runs, get_build_logs reads the log). */
  readonly lastLines?: string;
}

/** How a deployment stands or ended, with the end of its build log once it has ended. */
@injectable()
export class GetDeploymentStatus {
  constructor(
    @inject(GetDeployment) private readonly getDeployment: GetDeployment,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
  ) {}

  async execute(caller: Caller, input: { deploymentId: string; tailLines: number }): Promise<DeploymentStatusReport> {
    const deployment = await this.getDeployment.execute(caller, { deploymentId: input.deploymentId });
    if (deployment.isActive) return { deployment };
    return { deployment, lastLines: await this.store.tailLog(deployment.key, input.tailLines) };
  }
}
