import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import { boundedInt, ProcessType } from '../../domain/dokku-values.js';
import { InvalidArgument, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable, type AccessDenied } from '../../domain/domain-errors.js';
import { DeploymentRunner } from './deployment-runner.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export const MAX_PROCESS_COUNT = 100;
export type ScaleAppError = InvalidArgument | AccessDenied | AppNotFound | DeploymentAlreadyRunning | HostUnreachable;

/** Sets process counts (`ps:scale app web=2 worker=1`); Dokku redeploys the changed types, so it is a tracked deployment. */
@injectable()
export class ScaleApp {
  constructor(
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string; processes: Record<string, number> }): Promise<Deployment> {
    const app = this.access.app(caller, input.appName, 'write');
    const entries = Object.entries(input.processes ?? {});
    if (entries.length === 0) {
      throw new InvalidArgument('processes', 'give at least one process type and count, e.g. {"web": 2}');
    }
    const counts = entries.map(
      ([type, count]) => [ProcessType.of(type, 'processes'), boundedInt(count, `processes.${type}`, 0, MAX_PROCESS_COUNT)] as const,
    );
    return this.runner.start({ operation: { kind: 'scale', app, counts }, kind: 'scale' });
  }
}
