/** Where a release came from, exactly enough to deploy it again. */
export type ReleaseSource =
  | { readonly type: 'git'; readonly repoUrl: string; readonly sha: string; readonly ref?: string }
  | { readonly type: 'image'; readonly image: string };

/** A successful deploy of an app, as rollback_app can redeploy it. */
export interface Release {
  /** The deployment that made it (its id when it finished). */
  readonly deploymentId: string;
  readonly app: string;
  readonly source: ReleaseSource;
  readonly finishedAt: Date;
}

export interface ReleaseHistoryOfApp {
  /** Newest first, at most RELEASES_KEPT. */
  readonly releases: readonly Release[];
  /** The release the app runs now, if it is one of them (undefined after a deploy that left it broken). */
  readonly currentId?: string;
}

/** How many releases are kept per app, whatever logs.build.retention_minutes says. */
export const RELEASES_KEPT = 10;

/**
 * The last successful deploys of each app with their exact source (the host's build record holds no commit): in this
 * process's memory (store.type: memory), or shared by every instance (redis). Each method may fail with
 * StateStoreUnavailable when a shared store does not answer.
 */
export const ReleaseHistory = Symbol('ReleaseHistory');
export interface ReleaseHistory {
  /** Records the app's new current release; the oldest beyond RELEASES_KEPT go. */
  record(release: Release): Promise<void>;
  /** The app no longer runs its last recorded release (a deploy exited 0 but left processes down). */
  supersede(app: string): Promise<void>;
  of(app: string): Promise<ReleaseHistoryOfApp>;
}
