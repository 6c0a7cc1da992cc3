import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { DeploymentStatus } from '../../domain/deployment.js';
import { InvalidArgument, type DeploymentNotFound, type HostUnreachable } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { GetDeployment } from './get-deployment.use-case.js';

export interface BuildLogsPage {
  readonly deploymentId: string;
  readonly status: DeploymentStatus;
  /** New text since the offset asked for (whole lines). */
  readonly text: string;
  readonly nextOffset: number;
  /** Characters between the offset asked for and the oldest kept, dropped by the size cap. */
  readonly skippedBytes: number;
  /** True once the deployment has ended: no more text will come. */
  readonly complete: boolean;
}
export type GetBuildLogsError = InvalidArgument | DeploymentNotFound | HostUnreachable;

/** The build log of a deployment from an offset, so a poller fetches only what is new. */
@injectable()
export class GetBuildLogs {
  constructor(
    @inject(GetDeployment) private readonly getDeployment: GetDeployment,
    @inject(DeploymentStore) private readonly store: DeploymentStore,
  ) {}

  async execute(caller: Caller, input: { deploymentId: string; sinceOffset?: number }): Promise<BuildLogsPage> {
    const since = input.sinceOffset ?? 0;
    if (!Number.isInteger(since) || since < 0) {
      throw new InvalidArgument('since_offset', `must be a whole number >= 0 (the next_offset of the previous call); got ${since}`);
    }
    const deployment = await this.getDeployment.execute(caller, { deploymentId: input.deploymentId });
    const complete = !deployment.isActive; // read the status first: a line appended after this read comes next time
    const read = await this.store.readLog(deployment.key, since);
    return { deploymentId: deployment.id, status: deployment.status, complete, ...read };
  }
}
