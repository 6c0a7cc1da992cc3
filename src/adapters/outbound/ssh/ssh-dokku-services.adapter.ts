import { Conflict } from '../../../domain/domain-errors.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import { describeService, PluginNotInstalled, ServiceAlreadyExists, ServiceNotFound, type ServiceRef, type ServiceType } from '../../../domain/service.js';
import type { DokkuServices, ServiceInfo } from '../../../ports/dokku-services.port.js';
import { DokkuCommand, serviceSubcommand } from './dokku-command.js';
import { DokkuRunner } from './dokku-runner.js';
import { parseKeyValueBlock, parseServiceList, wordsOrNone } from './plugin-output-parsers.js';
import type { ExecResult } from './ssh-channel.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage } from './ssh-errors.js';

/** A missing plugin's command is no Dokku command at all: " !     `postgres:list` is not a dokku command." */
export const NOT_A_COMMAND = /is not a dokku command/;

/**
 * DokkuServices over SSH: the datastore plugins' `<type>:list|info|create|destroy|logs`. Creating pulls an image and
 * destroying removes data, so both may take longer than a short command: they get the deploy timeout.
 */
export class SshDokkuServices implements DokkuServices {
  private readonly dokku: DokkuRunner;

  constructor(
    private readonly connection: SshConnection,
    sanitizer: Sanitizer,
  ) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async list(type: ServiceType): Promise<string[]> {
    const command = DokkuCommand.of(serviceSubcommand(type, 'list'));
    const result = await this.run(command, type);
    // No services: " !     There are no Postgres services" on stderr, exit 0, nothing on stdout.
    return this.dokku.parse(command, result.stdout, parseServiceList);
  }

  async info(service: ServiceRef): Promise<ServiceInfo> {
    const command = DokkuCommand.of(serviceSubcommand(service.type, 'info')).value(service.name);
    const { stdout } = await this.run(command, service.type, service);
    const fields = this.dokku.parse(command, stdout, parseKeyValueBlock);
    if (fields.dsn === undefined) throw this.dokku.failure(command, { stdout: '', stderr: 'unexpected output (no DSN)', code: 0 });
    return {
      type: service.type,
      name: service.name.value,
      status: fields.status || 'unknown',
      version: fields.version ?? '',
      dsn: fields.dsn,
      links: wordsOrNone(fields.links).sort(),
      exposedPorts: wordsOrNone(fields['exposed-ports']),
    };
  }

  async create(service: ServiceRef): Promise<void> {
    const command = DokkuCommand.of(serviceSubcommand(service.type, 'create')).value(service.name);
    await this.run(command, service.type, service, this.connection.options.deployTimeoutMs);
  }

  async destroy(service: ServiceRef): Promise<void> {
    // `--force` first: without it the plugin asks for the name on stdin.
    const command = DokkuCommand.forced(`${service.type}:destroy`).value(service.name);
    await this.run(command, service.type, service, this.connection.options.deployTimeoutMs);
  }

  async logs(service: ServiceRef): Promise<string[]> {
    const command = DokkuCommand.of(serviceSubcommand(service.type, 'logs')).value(service.name);
    const { stdout } = await this.run(command, service.type, service);
    const lines = stdout.replace(/\r/g, '').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  private async run(command: DokkuCommand, type: ServiceType, service?: ServiceRef, timeoutMs?: number): Promise<ExecResult> {
    const result = await this.dokku.exec(command, timeoutMs ? { timeoutMs } : undefined);
    if (result.code === 0) return result;
    throw serviceFailure(result, type, service) ?? this.dokku.failure(command, result);
  }
}

/** The plugins' own refusals, as domain errors; undefined for anything else (mapped the generic way). */
export function serviceFailure(result: ExecResult, type: ServiceType, service?: ServiceRef): Error | undefined {
  const message = dokkuMessage(result);
  if (NOT_A_COMMAND.test(message)) return new PluginNotInstalled(type);
  if (!service) return undefined;
  if (/service \S+ does not exist/.test(message)) return new ServiceNotFound(service);
  if (/service \S+ already exists/.test(message)) return new ServiceAlreadyExists(service);
  if (/Cannot delete linked service/.test(message)) {
    return new Conflict(`${describeService(service)} is linked to an app; a linked service cannot be destroyed, and nothing was destroyed.`, 'Unlink it first (unlink_service), then destroy it.');
  }
  return undefined;
}
