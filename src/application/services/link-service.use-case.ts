import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { Deployment } from '../../domain/deployment.js';
import { Conflict, type AccessDenied, type AppNotFound, type DeploymentAlreadyRunning, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import { describeService, SERVICE_PLUGINS, type PluginNotInstalled, type ServiceNotFound } from '../../domain/service.js';
import { DeploymentRunner } from '../deployments/deployment-runner.js';
import { ServiceLinkCheck } from './service-link-check.js';

export type LinkServiceError =
  | InvalidArgument | AccessDenied | AppNotFound | PluginNotInstalled | ServiceNotFound | Conflict | DeploymentAlreadyRunning | HostUnreachable;

/**
 * Links a service to an app: the plugin sets its URL in the app's config (DATABASE_URL, REDIS_URL… or an alternate
 * name when that is taken) and restarts the app, so it runs as a tracked deployment; returns at once. Tenants link only
 * their own services to their own apps.
 */
@injectable()
export class LinkService {
  constructor(
    @inject(ServiceLinkCheck) private readonly check: ServiceLinkCheck,
    @inject(DeploymentRunner) private readonly runner: DeploymentRunner,
  ) {}

  async execute(caller: Caller, input: { serviceType: string; serviceName: string; appName: string }): Promise<Deployment> {
    const { app, service, info, secrets } = await this.check.resolve(caller, input, 'link_service');
    if (info.links.includes(app.value)) {
      throw new Conflict(
        `${describeService(service)} is already linked to app "${app.value}"; nothing was changed.`,
        `Its URL is in the app's config (get_app_config; ${SERVICE_PLUGINS[service.type].defaultAlias}_URL unless that name was taken).`,
      );
    }
    // Dokku echoes the URL it sets ("DATABASE_URL:  postgres://…:<password>@…"): the password is redacted from the log.
    return this.runner.start({ operation: { kind: 'service_link', app, service }, kind: 'service_link', secrets });
  }
}
