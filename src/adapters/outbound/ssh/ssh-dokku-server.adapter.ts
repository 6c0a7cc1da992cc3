import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { DokkuServer, HostCheckReport, ServerInfo } from '../../../ports/dokku-server.port.js';
import { DokkuCommand } from './dokku-command.js';
import { parsePluginList } from './dokku-output-parsers.js';
import { DokkuRunner } from './dokku-runner.js';
import type { SshConnection } from './ssh-connection.js';

/** DokkuServer over SSH: `version` and `plugin:list`. */
export class SshDokkuServer implements DokkuServer {
  private readonly dokku: DokkuRunner;

  constructor(
    private readonly connection: SshConnection,
    sanitizer: Sanitizer,
  ) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async info(): Promise<ServerInfo> {
    const command = DokkuCommand.of('plugin:list');
    const [version, plugins] = await Promise.all([
      this.dokku.version(),
      this.dokku.run(command).then(({ stdout }) => this.dokku.parse(command, stdout, parsePluginList)),
    ]);
    return { dokkuVersion: version ?? 'unknown', host: this.dokku.target, simulated: false, plugins };
  }

  async check(): Promise<HostCheckReport> {
    const version = await this.dokku.version();
    const { hostKeyFingerprint, knownHosts } = this.connection.options;
    const hostKey = hostKeyFingerprint
      ? `host key matches ssh.host_key_fingerprint (${hostKeyFingerprint})`
      : knownHosts
        ? `host key listed in ${knownHosts}`
        : 'host key NOT verified (ssh.strict_host_key is false)';
    return { host: this.dokku.target, dokkuVersion: version ?? 'unknown', simulated: false, hostKey };
  }
}
