import { RELEASES_KEPT, type Release, type ReleaseHistory, type ReleaseHistoryOfApp } from '../../../ports/release-history.port.js';

/** ReleaseHistory in this process's memory: lost on restart (rollback then refuses, saying why). */
export class InMemoryReleaseHistory implements ReleaseHistory {
  private readonly apps = new Map<string, { releases: Release[]; currentId?: string }>();

  async record(release: Release): Promise<void> {
    const entry = this.apps.get(release.app) ?? { releases: [] };
    entry.releases = [release, ...entry.releases.filter((r) => r.deploymentId !== release.deploymentId)].slice(0, RELEASES_KEPT);
    entry.currentId = release.deploymentId;
    this.apps.set(release.app, entry);
  }

  async supersede(app: string): Promise<void> {
    const entry = this.apps.get(app);
    if (entry) entry.currentId = undefined;
  }

  async of(app: string): Promise<ReleaseHistoryOfApp> {
    const entry = this.apps.get(app);
    return { releases: [...(entry?.releases ?? [])], currentId: entry?.currentId };
  }
}
