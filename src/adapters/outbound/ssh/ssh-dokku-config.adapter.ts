import type { AppName } from '../../../domain/app-name.js';
import type { EnvKey, EnvValue } from '../../../domain/dokku-values.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { DokkuConfig } from '../../../ports/dokku-config.port.js';
import { DokkuCommand } from './dokku-command.js';
import { parseConfigJson, parseConfigShow } from './dokku-output-parsers.js';
import { DokkuRunner } from './dokku-runner.js';
import type { SshConnection } from './ssh-connection.js';

/** DokkuConfig over SSH. Values travel base64-encoded (`config:set --encoded`): no quoting problem can reach them. */
export class SshDokkuConfig implements DokkuConfig {
  private readonly dokku: DokkuRunner;

  constructor(connection: SshConnection, sanitizer: Sanitizer) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async get(app: AppName): Promise<Record<string, string>> {
    const json = await this.dokku.supports('configExportJson');
    const command = json ? DokkuCommand.of('config:export').value(app).json() : DokkuCommand.of('config:show').value(app);
    const { stdout } = await this.dokku.run(command, app);
    return this.dokku.parse(command, stdout, json ? parseConfigJson : parseConfigShow);
  }

  async setWithoutRestart(app: AppName, vars: ReadonlyArray<readonly [EnvKey, EnvValue]>): Promise<void> {
    if (vars.length === 0) return;
    const base = DokkuCommand.of('config:set').flag('--encoded').flag('--no-restart').value(app);
    // Dokku echoes every value it sets; the output is dropped here, never logged.
    await this.dokku.run(vars.reduce((command, [key, value]) => command.envPair(key, value), base), app);
  }

  async unsetWithoutRestart(app: AppName, keys: readonly EnvKey[]): Promise<void> {
    if (keys.length === 0) return;
    const base = DokkuCommand.of('config:unset').flag('--no-restart').value(app);
    await this.dokku.run(keys.reduce((command, key) => command.value(key), base), app);
  }
}
