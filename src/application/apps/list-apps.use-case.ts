import { inject, injectable } from 'inversify';
import type { HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';

export type ListAppsError = HostUnreachable;

/** The names of all apps on the host, sorted. */
@injectable()
export class ListApps {
  constructor(@inject(DokkuApps) private readonly apps: DokkuApps) {}

  async execute(): Promise<string[]> {
    return [...(await this.apps.list())].sort();
  }
}
