import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { Logger } from '../../../ports/logger.port.js';
import { SshConnection } from './ssh-connection.js';
import { SshDokkuApps } from './ssh-dokku-apps.adapter.js';
import { SshDokkuBuilds } from './ssh-dokku-builds.adapter.js';
import { SshDokkuConfig } from './ssh-dokku-config.adapter.js';
import { SshDokkuDeploys } from './ssh-dokku-deploys.adapter.js';
import { SshDokkuDomains } from './ssh-dokku-domains.adapter.js';
import { SshDokkuLogs } from './ssh-dokku-logs.adapter.js';
import { SshDokkuLetsencrypt } from './ssh-dokku-letsencrypt.adapter.js';
import { SshDokkuServer } from './ssh-dokku-server.adapter.js';
import { SshDokkuServices } from './ssh-dokku-services.adapter.js';
import { SshDokkuSshKeys } from './ssh-dokku-ssh-keys.adapter.js';
import type { SshOptions } from './ssh-options.js';

export interface SshDokkuAdapters {
  readonly connection: SshConnection;
  readonly apps: SshDokkuApps;
  readonly deploys: SshDokkuDeploys;
  readonly builds: SshDokkuBuilds;
  readonly logs: SshDokkuLogs;
  readonly config: SshDokkuConfig;
  readonly domains: SshDokkuDomains;
  readonly server: SshDokkuServer;
  readonly services: SshDokkuServices;
  readonly letsencrypt: SshDokkuLetsencrypt;
  readonly sshKeys: SshDokkuSshKeys;
}

/** Every SSH-backed Dokku port, sharing one connection. Nothing connects until the first command. */
export function createSshDokkuAdapters(options: SshOptions, deps: { sanitizer: Sanitizer; logger: Logger }): SshDokkuAdapters {
  const connection = new SshConnection(options, deps.logger);
  return {
    connection,
    apps: new SshDokkuApps(connection, deps.sanitizer),
    deploys: new SshDokkuDeploys(connection, deps.sanitizer),
    builds: new SshDokkuBuilds(connection, deps.sanitizer),
    logs: new SshDokkuLogs(connection, deps.sanitizer),
    config: new SshDokkuConfig(connection, deps.sanitizer),
    domains: new SshDokkuDomains(connection, deps.sanitizer),
    server: new SshDokkuServer(connection, deps.sanitizer),
    services: new SshDokkuServices(connection, deps.sanitizer),
    letsencrypt: new SshDokkuLetsencrypt(connection, deps.sanitizer),
    sshKeys: new SshDokkuSshKeys(connection, deps.sanitizer),
  };
}
