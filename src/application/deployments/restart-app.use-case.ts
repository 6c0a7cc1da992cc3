import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { Deployment } from '../../domain/deployment.js';
import type { AppNotFound, DeploymentAlreadyRunning, HostUnreachable, InvalidArgument, NotDeployed } from '../../domain/domain-errors.js';
import { DeploymentRunner } from './deployment-runner.js';

export type RestartAppError = InvalidArgument | AppNotFound | NotDeployed | DeploymentAlreadyRunning | HostUnreachable;

/** Restarts the app's processes (`ps:restart`) as a tracked deployment; returns at once. */
@injectable()
export class RestartApp {
  constructor(@inject(DeploymentRunner) private readonly runner: DeploymentRunner) {}

  async execute(input: { appName: string }): Promise<Deployment> {
    const app = AppName.of(input.appName);
    return this.runner.start({ operation: { kind: 'restart', app }, kind: 'restart', requireDeployed: true });
  }
}
