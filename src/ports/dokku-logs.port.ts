import type { AppName } from '../domain/app-name.js';
import type { ProcessType } from '../domain/dokku-values.js';

export interface RecentLogsQuery {
  /** Lines per container (Dokku's --num). */
  readonly linesPerContainer: number;
  readonly processType?: ProcessType;
}

export interface FollowLogsQuery {
  readonly processType?: ProcessType;
  /** Lines per container printed before the live ones (Dokku's --num); 0 = only what is written from now on. */
  readonly num: number;
}

/**
 * How a follow ended: the remote exited by itself (Dokku's `logs --tail` ends when the containers it follows are gone,
 * or refuses a missing or undeployed app), the connection dropped, or close() was called.
 */
export type FollowEnd =
  | { readonly type: 'exited'; readonly exitCode: number | null }
  | { readonly type: 'lost'; readonly reason: string }
  | { readonly type: 'closed' };

/** A running follow. */
export interface LogFollow {
  /** Resolves once, when the follow ends; never rejects. */
  readonly ended: Promise<FollowEnd>;
  /** Stops following (the remote follower ends too); `ended` then resolves with `closed`. Idempotent. */
  close(): void;
}

/** Runtime logs of an app's containers. */
export const DokkuLogs = Symbol('DokkuLogs');
export interface DokkuLogs {
  /** Raw lines as Dokku prints them (may carry ANSI codes), containers concatenated. Fails with AppNotFound, NotDeployed, HostUnreachable. */
  recent(app: AppName, query: RecentLogsQuery): Promise<string[]>;
  /** Output of `logs:failed`: the logs of the last failed deploy's containers. Fails with AppNotFound, HostUnreachable. */
  failedDeploy(app: AppName): Promise<string>;
  /**
   * Follows the logs of the containers running now (`logs --tail`): raw output as it arrives goes to `onOutput`
   * (chunks may split lines; Dokku's own messages, e.g. " !     App x does not exist", come in the same stream).
   * Rejects, before following, with HostUnreachable, or LimitExceeded when no channel may be given to a follower.
   */
  follow(app: AppName, query: FollowLogsQuery, onOutput: (chunk: string) => void): Promise<LogFollow>;
}
