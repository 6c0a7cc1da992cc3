import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { boundedInt } from '../../domain/dokku-values.js';
import type { AccessDenied, HostUnreachable, InvalidArgument } from '../../domain/domain-errors.js';
import { stripAnsi } from '../../domain/log-line.js';
import { AppName } from '../../domain/app-name.js';
import { Sanitizer } from '../../domain/sanitizer.js';
import { AppSecrets } from '../config/app-secrets.js';
import { dsnPassword, type PluginNotInstalled, type ServiceNotFound } from '../../domain/service.js';
import { DokkuServices } from '../../ports/dokku-services.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { InstalledPlugins } from './installed-plugins.js';

export type GetServiceLogsError = InvalidArgument | AccessDenied | PluginNotInstalled | ServiceNotFound | HostUnreachable;

/** The plugins print a service container's last 100 lines; this many of the newest come back. */
export const SERVICE_LOG_LINES = 100;

/** The newest lines of a service container's output (`<type>:logs`), redacted (the service's own password too). */
@injectable()
export class GetServiceLogs {
  constructor(
    @inject(DokkuServices) private readonly services: DokkuServices,
    @inject(InstalledPlugins) private readonly plugins: InstalledPlugins,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(Sanitizer) private readonly sanitizer: Sanitizer,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
  ) {}

  async execute(caller: Caller, input: { serviceType: string; serviceName: string; lines?: number }): Promise<{ lines: string[] }> {
    const service = this.access.service(caller, input.serviceType, input.serviceName, 'read', 'get_service_logs');
    const wanted = input.lines === undefined ? SERVICE_LOG_LINES : boundedInt(input.lines, 'lines', 1, SERVICE_LOG_LINES);
    await this.plugins.require(service.type);
    const [info, raw] = await Promise.all([this.services.info(service), this.services.logs(service)]);
    const password = dsnPassword(info.dsn);
    const sanitizer = password ? this.sanitizer.withSecrets([password]) : this.sanitizer;
    let lines = sanitizer.redactLines(raw.slice(-wanted).map((line) => stripAnsi(line)));
    // A database logs what its apps send it (a failed INSERT's values): the linked apps' own config values go too.
    for (const app of info.links.filter((name) => AppName.isValid(name))) lines = (await this.secrets.sanitizerFor(AppName.of(app))).redactLines(lines);
    return { lines };
  }
}
