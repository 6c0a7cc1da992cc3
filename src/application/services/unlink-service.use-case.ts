import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { Conflict, type AccessDenied, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import { describeService, type PluginNotInstalled, type ServiceNotFound } from '../../domain/service.js';
import { DeploymentRunner } from '../deployments/deployment-runner.js';
import { ServiceLinkCheck } from './service-link-check.js';

export type UnlinkServiceError =
  | InvalidArgument | AccessDenied | AppNotFound | PluginNotInstalled | ServiceNotFound | Conflict | DeploymentAlreadyRunning | HostUnreachable;

/** Unlinks a service from an app: its URL is unset from the app's config and the app restarts (a tracked deployment). */
@injectable()
export class UnlinkService {
  constructor(
    @inject(ServiceLinkCheck) private readonly check: ServiceLinkCheck,
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
  ) {}

  async execute(caller: Caller, input: { serviceType: string; serviceName: string; appName: string }): Promise<Deployment> {
    const { app, service, info, secrets } = await this.check.resolve(caller, input, 'unlink_service');
    if (!info.links.includes(app.value)) {
      throw new Conflict(`${describeService(service)} is not linked to app "${app.value}"; nothing was changed.`, 'get_service_info lists the apps it is linked to.');
    }
    return this.runner.start({ operation: { kind: 'service_unlink', app, service }, kind: 'service_unlink', secrets });
  }
}
