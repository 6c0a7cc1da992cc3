import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuServer, type ServerInfo } from '../../ports/dokku-server.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { RuntimeLogHub, type HubStats } from '../logs/runtime-log-hub.js';

export type GetServerInfoError = AccessDenied | HostUnreachable;

/** Dokku version, host and plugins; and the live log streams this server holds (apps followed, subscriptions). */
@injectable()
export class GetServerInfo {
  constructor(
    @inject(DokkuServer) private readonly server: DokkuServer,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(RuntimeLogHub) private readonly hub: RuntimeLogHub,
  ) {}

  async execute(caller: Caller): Promise<ServerInfo & { readonly logStreams: HubStats }> {
    // Host-wide: not one tenant's business.
    this.access.require(caller, 'admin', 'dokku://server/info');
    return { ...(await this.server.info()), logStreams: this.hub.stats() };
  }
}
