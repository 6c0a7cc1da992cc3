import { RELEASES_KEPT, type Release, type ReleaseHistory, type ReleaseHistoryOfApp, type ReleaseSource } from '../../../ports/release-history.port.js';
import type { RedisConnection } from './redis-connection.js';

/** An app's releases outlive its deployments' retention: rollback_app needs them days later. */
const RELEASES_TTL_MS = 30 * 24 * 60 * 60_000;

interface StoredRelease {
  readonly deploymentId: string;
  readonly app: string;
  readonly source: ReleaseSource;
  readonly finishedAt: number;
}

/**
 * ReleaseHistory in Redis, for every instance: `<prefix>releases:<app>` a list of the last RELEASES_KEPT releases,
 * newest first ("<deployment id>\n<JSON>"), and `<prefix>releases:<app>:current` the id of the one the app runs. Both
 * expire 30 days after the app's last recorded release.
 */
export class RedisReleaseHistory implements ReleaseHistory {
  constructor(private readonly redis: RedisConnection) {}

  async record(release: Release): Promise<void> {
    const stored: StoredRelease = { ...release, finishedAt: release.finishedAt.getTime() };
    const entry = `${release.deploymentId}\n${JSON.stringify(stored)}`;
    await this.redis.run((client) => client.releaseRecord(this.keys(release.app), release.deploymentId, entry, RELEASES_TTL_MS, RELEASES_KEPT));
  }

  async supersede(app: string): Promise<void> {
    await this.redis.run((client) => client.del(this.keys(app)[1]));
  }

  async of(app: string): Promise<ReleaseHistoryOfApp> {
    const [list, current] = this.keys(app);
    const [entries, currentId] = await Promise.all([
      this.redis.run((client) => client.lRange(list, 0, RELEASES_KEPT - 1)),
      this.redis.run((client) => client.get(current)),
    ]);
    const releases = entries.flatMap((entry): Release[] => {
      try {
        const stored = JSON.parse(entry.slice(entry.indexOf('\n') + 1)) as StoredRelease;
        return [{ ...stored, finishedAt: new Date(stored.finishedAt) }];
      } catch {
        return []; // not ours: skipped rather than failing every rollback
      }
    });
    return { releases, currentId: currentId ?? undefined };
  }

  private keys(app: string): [string, string] {
    const list = this.redis.key('releases', app);
    return [list, `${list}:current`];
  }
}
