import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuApps } from '../../ports/dokku-apps.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type ListAppsError = HostUnreachable;

/** The names of the apps the caller sees (its tenant's; all for a caller without one), sorted. */
@injectable()
export class ListApps {
  constructor(
    @inject(DokkuApps) private readonly apps: DokkuApps,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller): Promise<string[]> {
    this.access.require(caller, 'read', 'list_apps');
    return (await this.apps.list()).filter((app) => this.access.sees(caller, app)).sort();
  }
}
