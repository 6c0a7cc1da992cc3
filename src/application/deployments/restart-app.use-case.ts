import { inject, injectable } from 'inversify';
import type { Deployment } from '../../domain/deployment.js';
import type { AccessDenied, AppNotFound, DeploymentAlreadyRunning, HostUnreachable, InvalidArgument, NotDeployed } from '../../domain/domain-errors.js';
import { DeploymentRunner } from './deployment-runner.js';
import type { Caller } from '../../domain/caller.js';
import { AccessPolicy } from '../access/access-policy.js';

export type RestartAppError = InvalidArgument | AccessDenied | AppNotFound | NotDeployed | DeploymentAlreadyRunning | HostUnreachable;

/** Restarts the app's processes (`ps:restart`) as a tracked deployment; returns at once. */
@injectable()
export class RestartApp {
  constructor(
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { appName: string }): Promise<Deployment> {
    const app = this.access.app(caller, input.appName, 'write');
    return this.runner.start({ operation: { kind: 'restart', app }, kind: 'restart', requireDeployed: true });
  }
}
