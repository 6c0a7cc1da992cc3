import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuServer, type ServerInfo } from '../../ports/dokku-server.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type GetServerInfoError = AccessDenied | HostUnreachable;

/** Dokku version, host and plugins. */
@injectable()
export class GetServerInfo {
  constructor(
    @inject(DokkuServer) private readonly server: DokkuServer,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller): Promise<ServerInfo> {
    // Host-wide: not one tenant's business.
    this.access.require(caller, 'admin', 'dokku://server/info');
    return this.server.info();
  }
}
