import type { AppName } from '../../../domain/app-name.js';
import { DokkuCommandFailed } from '../../../domain/domain-errors.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import { DokkuCommand } from './dokku-command.js';
import { parseVersion, versionAtLeast } from './dokku-output-parsers.js';
import type { ExecOptions, ExecResult } from './ssh-channel.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuFailure } from './ssh-errors.js';

/** Optional Dokku features and the first version that has them (reference: dokku-cli.md). */
export const FEATURES = {
  appsListJson: '0.38.21',
  psScaleJson: '0.38.21',
  reportJson: '0.23.1',
  configExportJson: '0.15.5',
  buildsCancel: '0.38.0',
  /** builds:list/info/output with --format json: the host's own build record. */
  buildsRecord: '0.38.0',
  sshKeysListJson: '0.22.3',
} as const;
export type DokkuFeature = keyof typeof FEATURES;

/** Runs DokkuCommands on the connection and turns failures into domain errors. Shared by the SSH adapters. */
export class DokkuRunner {
  constructor(
    readonly connection: SshConnection,
    readonly sanitizer: Sanitizer,
  ) {}

  get target(): string {
    return this.connection.target;
  }

  /** Runs the command; resolves with its output on exit 0, else rejects with the mapped domain error. */
  async run(command: DokkuCommand, app?: AppName): Promise<ExecResult> {
    const result = await this.exec(command);
    if (result.code !== 0) throw this.failure(command, result, app);
    return result;
  }

  /** Runs the command and returns the result whatever the exit status (HostUnreachable still rejects). */
  exec(command: DokkuCommand, options?: Partial<ExecOptions>): Promise<ExecResult> {
    return this.connection.exec(command.toString(), options);
  }

  failure(command: DokkuCommand, result: ExecResult, app?: AppName): Error {
    return dokkuFailure(result, { command: command.subcommand, app: app?.value, target: this.target, sanitizer: this.sanitizer });
  }

  /** Parses output, turning a parse failure (an unexpected Dokku) into DokkuCommandFailed rather than a crash. */
  parse<T>(command: DokkuCommand, text: string, parser: (text: string) => T): T {
    try {
      return parser(text);
    } catch (error) {
      throw new DokkuCommandFailed(command.subcommand, 0, `unexpected output (${(error as Error).message})`);
    }
  }

  /** The host's Dokku version ("0.38.27"), read once per connection; undefined if it prints no x.y.z. */
  version(): Promise<string | undefined> {
    return this.connection.oncePerConnection('dokku-version', async () => {
      const command = DokkuCommand.of('version');
      return parseVersion((await this.run(command)).stdout);
    });
  }

  async supports(feature: DokkuFeature): Promise<boolean> {
    return versionAtLeast(await this.version(), FEATURES[feature]);
  }
}
