import { inject, injectable } from 'inversify';
import type { HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuServer, type ServerInfo } from '../../ports/dokku-server.port.js';

export type GetServerInfoError = HostUnreachable;

/** Dokku version, host and plugins. */
@injectable()
export class GetServerInfo {
  constructor(@inject(DokkuServer) private readonly server: DokkuServer) {}

  async execute(): Promise<ServerInfo> {
    return this.server.info();
  }
}
