import type { AppName } from '../domain/app-name.js';
import type { EnvKey, EnvValue, GitRef, GitUrl, ImageRef, ProcessType } from '../domain/dokku-values.js';
import type { ServiceRef } from '../domain/service.js';

/** An operation that makes Dokku build or redeploy an app; it runs for minutes and streams output. */
export type DeployOperation =
  | { readonly kind: 'deploy'; readonly app: AppName; readonly repoUrl: GitUrl; readonly ref?: GitRef }
  | { readonly kind: 'deploy_image'; readonly app: AppName; readonly image: ImageRef }
  | { readonly kind: 'rebuild'; readonly app: AppName }
  | { readonly kind: 'restart'; readonly app: AppName }
  | { readonly kind: 'start'; readonly app: AppName }
  | { readonly kind: 'scale'; readonly app: AppName; readonly counts: ReadonlyArray<readonly [ProcessType, number]> }
  | { readonly kind: 'config_set'; readonly app: AppName; readonly vars: ReadonlyArray<readonly [EnvKey, EnvValue]> }
  | { readonly kind: 'config_unset'; readonly app: AppName; readonly keys: readonly EnvKey[] }
  // A datastore service linked to / unlinked from the app: its URL set or unset in the app's config, the app restarted.
  | { readonly kind: 'service_link'; readonly app: AppName; readonly service: ServiceRef }
  | { readonly kind: 'service_unlink'; readonly app: AppName; readonly service: ServiceRef }
  // letsencrypt:enable: a certificate requested and installed; the proxy is reconfigured and reloaded.
  | { readonly kind: 'letsencrypt_enable'; readonly app: AppName };

/**
 * How a deploy ended: Dokku's exit status; the connection was lost and the outcome is unknown; or it ran past the
 * deploy timeout and was stopped (`reason` says what was done on the host).
 */
export type DeployOutcome =
  | { readonly type: 'exited'; readonly exitCode: number }
  | { readonly type: 'lost'; readonly reason: string }
  | { readonly type: 'timed_out'; readonly reason: string };

export interface DeployRun {
  /** Resolves when the operation ends; never rejects once started. */
  readonly outcome: Promise<DeployOutcome>;
  /**
   * Stops following it: the channel closes, and the host's process ends at its next write (the host's build record
   * then says so). `outcome` resolves as lost. Absent where there is nothing to close.
   */
  readonly stop?: () => void;
}

/** Runs build/redeploy operations on Dokku. */
export const DokkuDeploys = Symbol('DokkuDeploys');
export interface DokkuDeploys {
  /**
   * Starts the operation; raw output chunks (stdout and stderr, in order, may split lines) go to `onOutput` as they
   * arrive. Rejects (before running) with HostUnreachable or LimitExceeded; afterwards reports through `outcome`.
   */
  start(operation: DeployOperation, onOutput: (chunk: string) => void): Promise<DeployRun>;
  /** Cancels the app's running build. Fails with Unsupported on hosts without `builds:cancel` (Dokku < 0.38). */
  cancel(app: AppName): Promise<void>;
}

