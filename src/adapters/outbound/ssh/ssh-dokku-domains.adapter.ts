import type { AppName } from '../../../domain/app-name.js';
import type { DomainName } from '../../../domain/dokku-values.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { AppDomains, DokkuDomains } from '../../../ports/dokku-domains.port.js';
import { DokkuCommand } from './dokku-command.js';
import { firstReport, parseReportJson, parseReportText, words, type Report } from './dokku-output-parsers.js';
import { DokkuRunner } from './dokku-runner.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage } from './ssh-errors.js';

const NO_APPS = /haven't deployed any applications/;

const toDomains = (app: string, report: Report): AppDomains => ({
  app,
  enabled: report['app-enabled'] !== 'false',
  domains: words(report['app-vhosts']),
  globalDomains: words(report['global-vhosts']),
});

/** DokkuDomains over SSH: domains:report (JSON for one app; text for all apps and --global), domains:add/remove. */
export class SshDokkuDomains implements DokkuDomains {
  private readonly dokku: DokkuRunner;

  constructor(connection: SshConnection, sanitizer: Sanitizer) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async ofApp(app: AppName): Promise<AppDomains> {
    const json = await this.dokku.supports('reportJson');
    const command = json ? DokkuCommand.of('domains:report').value(app).json() : DokkuCommand.of('domains:report').value(app);
    const { stdout } = await this.dokku.run(command, app);
    return toDomains(app.value, this.dokku.parse(command, stdout, json ? parseReportJson : firstReport));
  }

  /**
   * One command for every app: the text report without an app prints one section per app, headed by its name.
   * (Its JSON form prints one object per app without the name, so it cannot be used here.)
   */
  async allApps(): Promise<AppDomains[]> {
    const command = DokkuCommand.of('domains:report');
    const result = await this.dokku.exec(command);
    if (result.code !== 0 && NO_APPS.test(dokkuMessage(result))) return [];
    if (result.code !== 0) throw this.dokku.failure(command, result);
    const sections = this.dokku.parse(command, result.stdout, parseReportText);
    return [...sections].map(([app, report]) => toDomains(app, report)).sort((a, b) => a.app.localeCompare(b.app));
  }

  async add(app: AppName, domain: DomainName): Promise<void> {
    await this.dokku.run(DokkuCommand.of('domains:add').value(app).value(domain), app);
  }

  async remove(app: AppName, domain: DomainName): Promise<void> {
    await this.dokku.run(DokkuCommand.of('domains:remove').value(app).value(domain), app);
  }

  async listGlobal(): Promise<string[]> {
    const command = DokkuCommand.of('domains:report').flag('--global');
    const { stdout } = await this.dokku.run(command);
    return words(this.dokku.parse(command, stdout, firstReport)['global-vhosts']);
  }

  async addGlobal(domain: DomainName): Promise<void> {
    await this.dokku.run(DokkuCommand.of('domains:add-global').value(domain));
  }
}
