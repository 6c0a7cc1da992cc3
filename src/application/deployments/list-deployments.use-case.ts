import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { Deployment } from '../../domain/deployment.js';
import type { InvalidArgument } from '../../domain/domain-errors.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';

export type ListDeploymentsError = InvalidArgument;

/** Known deployments, newest first, optionally of one app and/or only those still running. */
@injectable()
export class ListDeployments {
  constructor(@inject(DeploymentStore) private readonly store: DeploymentStore) {}

  execute(input: { appName?: string; activeOnly?: boolean } = {}): Deployment[] {
    const app = input.appName === undefined ? undefined : AppName.of(input.appName).value;
    return this.store.list({ app, activeOnly: input.activeOnly ?? false });
  }
}
