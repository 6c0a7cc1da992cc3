import { inject, injectable } from 'inversify';
import { AppName } from '../../domain/app-name.js';
import type { Caller } from '../../domain/caller.js';
import { AppNotFound, isDomainError, type InvalidArgument } from '../../domain/domain-errors.js';
import type { HostBuild } from '../../domain/host-build.js';
import { DeploymentStore } from '../../ports/deployment-store.port.js';
import { DokkuBuilds } from '../../ports/dokku-builds.port.js';
import { AccessPolicy } from '../access/access-policy.js';
import { summaryOf, summaryOfHostBuild, type DeploymentSummary } from './deployment-summary.js';

export type ListDeploymentsError = InvalidArgument;

/** Whether the host's build record is in the list: yes, not on this host (Dokku < 0.38), or not now (and why). */
export type HostRecordState = { readonly state: 'included' } | { readonly state: 'unsupported' } | { readonly state: 'unavailable'; readonly reason: string };

export interface DeploymentListing {
  readonly deployments: readonly DeploymentSummary[];
  readonly hostRecord: HostRecordState;
}

/**
 * The deployments of the apps the caller sees, newest first: the ones this server holds merged with the host's build
 * record (Dokku 0.38+: one app's running and recent builds, or without an app the builds running now), each build
 * once. Another tenant's app simply has none here, and is not asked about on the host. A host that cannot be asked
 * leaves the list to what this server holds, and says so.
 */
@injectable()
export class ListDeployments {
  constructor(
    @inject(DeploymentStore) private readonly store: DeploymentStore,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
    @inject(DokkuBuilds) private readonly builds: DokkuBuilds,
  ) {}

  async execute(caller: Caller, input: { appName?: string; activeOnly?: boolean } = {}): Promise<DeploymentListing> {
    const app = input.appName === undefined ? undefined : AppName.of(input.appName);
    const activeOnly = input.activeOnly ?? false;
    const held = (await this.store.list({ app: app?.value, activeOnly })).filter((d) => this.access.sees(caller, d.app.value));
    if (app && !this.access.sees(caller, app.value)) return { deployments: [], hostRecord: { state: 'included' } };
    const { builds, hostRecord } = await this.hostBuilds(app, activeOnly);
    const linked = new Set(held.flatMap((d) => (d.hostBuildId ? [`${d.app.value}/${d.hostBuildId}`] : [])));
    const fromHost = builds
      .filter((b) => this.access.sees(caller, b.app) && !linked.has(`${b.app}/${b.id}`))
      .filter((b) => !activeOnly || b.status === 'running')
      .map(summaryOfHostBuild);
    const deployments = [...held.map(summaryOf), ...fromHost].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    return { deployments, hostRecord };
  }

  private async hostBuilds(app: AppName | undefined, activeOnly: boolean): Promise<{ builds: HostBuild[]; hostRecord: HostRecordState }> {
    try {
      if (!(await this.builds.supported())) return { builds: [], hostRecord: { state: 'unsupported' } };
      const builds = app ? await this.builds.list(app, { runningOnly: activeOnly }) : await this.builds.running();
      return { builds, hostRecord: { state: 'included' } };
    } catch (error) {
      if (error instanceof AppNotFound) return { builds: [], hostRecord: { state: 'included' } };
      if (!isDomainError(error)) throw error;
      return { builds: [], hostRecord: { state: 'unavailable', reason: error.message } };
    }
  }
}
