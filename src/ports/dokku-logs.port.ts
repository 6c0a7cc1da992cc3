import type { AppName } from '../domain/app-name.js';
import type { ProcessType } from '../domain/dokku-values.js';

export interface RecentLogsQuery {
  /** Lines per container (Dokku's --num). */
  readonly linesPerContainer: number;
  readonly processType?: ProcessType;
}

/** Runtime logs of an app's containers. */
export const DokkuLogs = Symbol('DokkuLogs');
export interface DokkuLogs {
  /** Raw lines as Dokku prints them (may carry ANSI codes), containers concatenated. Fails with AppNotFound, NotDeployed, HostUnreachable. */
  recent(app: AppName, query: RecentLogsQuery): Promise<string[]>;
  /** Output of `logs:failed`: the logs of the last failed deploy's containers. Fails with AppNotFound, HostUnreachable. */
  failedDeploy(app: AppName): Promise<string>;
}
