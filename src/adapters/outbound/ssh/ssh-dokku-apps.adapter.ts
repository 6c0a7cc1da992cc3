import type { AppName } from '../../../domain/app-name.js';
import { NotDeployed } from '../../../domain/domain-errors.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { AppStatus, DokkuApps } from '../../../ports/dokku-apps.port.js';
import { DokkuCommand } from './dokku-command.js';
import {
  firstReport,
  parseAppsListText,
  parseJsonStringArray,
  parseReportJson,
  parseScaleJson,
  parseScaleText,
  processStatuses,
  words,
  type Report,
} from './dokku-output-parsers.js';
import { DokkuRunner } from './dokku-runner.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage, EXIT_APP_DOES_NOT_EXIST } from './ssh-errors.js';

const NO_APPS = /haven't deployed any applications/;

/** DokkuApps over SSH: apps:*, ps:report/ps:scale/domains:report for status, ps:stop. */
export class SshDokkuApps implements DokkuApps {
  private readonly dokku: DokkuRunner;

  constructor(connection: SshConnection, sanitizer: Sanitizer) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async list(): Promise<string[]> {
    const json = await this.dokku.supports('appsListJson');
    const command = json ? DokkuCommand.of('apps:list').json() : DokkuCommand.of('apps:list');
    const result = await this.dokku.exec(command);
    // Older hosts fail `apps:list` when there are no apps; newer ones print the header and warn.
    if (result.code !== 0 && NO_APPS.test(dokkuMessage(result))) return [];
    if (result.code !== 0) throw this.dokku.failure(command, result);
    return this.dokku.parse(command, result.stdout, json ? parseJsonStringArray : parseAppsListText);
  }

  async exists(app: AppName): Promise<boolean> {
    const command = DokkuCommand.of('apps:exists').value(app);
    const result = await this.dokku.exec(command);
    if (result.code === 0) return true;
    if (result.code === EXIT_APP_DOES_NOT_EXIST || /does not exist/.test(dokkuMessage(result))) return false;
    throw this.dokku.failure(command, result, app);
  }

  async status(app: AppName): Promise<AppStatus> {
    const [ps, info, scale, domains] = await Promise.all([
      this.report('ps:report', app),
      this.report('apps:report', app),
      this.scale(app),
      this.report('domains:report', app),
    ]);
    const running = ps.running === 'true' || ps.running === 'mixed' ? ps.running : 'false';
    return {
      name: app.value,
      deployed: ps.deployed === 'true',
      running,
      processes: processStatuses(ps),
      scale,
      ...(info['created-at'] ? { createdAt: timestamp(info['created-at']) } : {}),
      ...(info['deploy-source'] ? { deploySource: info['deploy-source'] } : {}),
      urls: domains['app-enabled'] === 'false' ? [] : words(domains['app-vhosts']).map((vhost) => `http://${vhost}`),
    };
  }

  async create(app: AppName): Promise<void> {
    await this.dokku.run(DokkuCommand.of('apps:create').value(app), app);
  }

  /** `--force` first: without it Dokku asks for the name on stdin. */
  async destroy(app: AppName): Promise<void> {
    await this.dokku.run(DokkuCommand.forced('apps:destroy').value(app), app);
  }

  async stop(app: AppName): Promise<void> {
    const result = await this.dokku.run(DokkuCommand.of('ps:stop').value(app), app);
    // Some versions only warn about an undeployed app and exit 0.
    if (/has not been deployed/.test(dokkuMessage({ stdout: '', stderr: result.stderr }))) throw new NotDeployed(app.value);
  }

  private async report(plugin: 'ps:report' | 'apps:report' | 'domains:report', app: AppName): Promise<Report> {
    const json = await this.dokku.supports('reportJson');
    const command = json ? DokkuCommand.of(plugin).value(app).json() : DokkuCommand.of(plugin).value(app);
    const { stdout } = await this.dokku.run(command, app);
    return this.dokku.parse(command, stdout, json ? parseReportJson : firstReport);
  }

  private async scale(app: AppName): Promise<Record<string, number>> {
    const json = await this.dokku.supports('psScaleJson');
    const command = json ? DokkuCommand.of('ps:scale').value(app).json() : DokkuCommand.of('ps:scale').value(app);
    const { stdout } = await this.dokku.run(command, app);
    return this.dokku.parse(command, stdout, json ? parseScaleJson : parseScaleText);
  }
}

/** Dokku stores creation time as Unix seconds; clients get ISO 8601. Anything else is passed through. */
function timestamp(value: string): string {
  return /^\d+$/.test(value) ? new Date(Number(value) * 1000).toISOString() : value;
}
