import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { DokkuServer, type ServerInfo } from '../../ports/dokku-server.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { RuntimeLogHub, type HubStats } from '../logs/runtime-log-hub.js';

export type GetServerInfoError = AccessDenied | HostUnreachable;

/** Which of the features that depend on the host this one has. */
export interface HostFeatures {
  /**
   * The host's own build record (Dokku 0.38+ builds:*): list_deployments shows git pushes and other outside builds,
   * deployment ids stay valid after this server restarts, cancel_deployment works. Without it: memory only.
   */
  readonly buildRecord: boolean;
}

/** Dokku version, host, plugins, the host features this server relies on, and the live log streams it holds. */
@injectable()
export class GetServerInfo {
  constructor(
    @inject(DokkuServer) private readonly server: DokkuServer,
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(RuntimeLogHub) private readonly hub: RuntimeLogHub,
  ) {}

  async execute(caller: Caller): Promise<ServerInfo & { readonly features: HostFeatures; readonly logStreams: HubStats }> {
    // Host-wide: not one tenant's business.
    this.access.require(caller, 'admin', 'dokku://server/info');
    const [info, buildRecord] = await Promise.all([this.server.info(), this.builds.supported()]);
    return { ...info, features: { buildRecord }, logStreams: this.hub.stats() };
  }
}
