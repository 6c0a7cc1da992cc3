import type { AppName } from '../domain/app-name.js';
import type { BuildId } from '../domain/dokku-values.js';
import type { HostBuild } from '../domain/host-build.js';

/** How following a running build ended: it is over (builds:info), ssh.deploy_timeout_ms passed, the link was lost, or stop(). */
export type BuildFollowEnd =
  | { readonly type: 'over' }
  | { readonly type: 'timed_out'; readonly reason: string }
  | { readonly type: 'lost'; readonly reason: string }
  | { readonly type: 'stopped' };

export interface BuildFollowSink {
  /**
   * Called once, before any output: `replayCut` when the host replays only the end of a running build's log (Dokku:
   * `tail -n 1000`) and more was there, so the beginning is missing.
   */
  start(replayCut: boolean): void;
  /** Raw output chunks, in order; they may split lines. */
  output(chunk: string): void;
}

export interface BuildFollow {
  /** Never rejects. */
  readonly done: Promise<BuildFollowEnd>;
  /** Stops following (and the host's follower with it). Idempotent. */
  stop(): void;
}

/**
 * The host's own record of builds and deploys (Dokku 0.38+ `builds:*`), whoever started them. Every method but
 * `supported` fails with Unsupported on an older host; all fail with HostUnreachable, AppNotFound for a missing app.
 */
export const DokkuBuilds = Symbol('DokkuBuilds');
export interface DokkuBuilds {
  /** Whether the host keeps a build record (builds:list/info/output with --format json). */
  supported(): Promise<boolean>;
  /** The app's builds, newest first: the running one and the recent finished ones (Dokku keeps 20 by default). */
  list(app: AppName, filter?: { readonly runningOnly?: boolean }): Promise<HostBuild[]>;
  /** Builds running right now, on every app. */
  running(): Promise<HostBuild[]>;
  /** One build, or undefined when the host has no record of that id. */
  info(app: AppName, id: BuildId): Promise<HostBuild | undefined>;
  /** The whole log of a build that has ended (a running one is followed instead). */
  output(app: AppName, id: BuildId): Promise<string>;
  /**
   * Follows a running build's log on a long-lived channel until builds:info says it is over or ssh.deploy_timeout_ms
   * passes. Rejects with LimitExceeded when no long-lived channel is free.
   */
  follow(app: AppName, id: BuildId, sink: BuildFollowSink): Promise<BuildFollow>;
  /** The commit the app's current build came from (`git:report <app> --git-sha`); undefined when it has none. */
  deployedCommit(app: AppName): Promise<string | undefined>;
}
