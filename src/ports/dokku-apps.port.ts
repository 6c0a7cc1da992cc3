import type { AppName } from '../domain/app-name.js';

export interface ProcessStatus {
  /** e.g. "web" */
  readonly type: string;
  readonly index: number;
  /** Docker's state: running, exited, missing … */
  readonly status: string;
  readonly containerId?: string;
}

export interface AppStatus {
  readonly name: string;
  readonly deployed: boolean;
  /** Dokku's "Running": true, false or mixed. */
  readonly running: 'true' | 'false' | 'mixed';
  readonly processes: readonly ProcessStatus[];
  /** Desired process counts, e.g. { web: 1, worker: 2 }. */
  readonly scale: Readonly<Record<string, number>>;
  readonly createdAt?: string;
  readonly deploySource?: string;
  readonly urls: readonly string[];
}

/** Apps on the Dokku host. */
export const DokkuApps = Symbol('DokkuApps');
export interface DokkuApps {
  /** All app names, sorted. Fails with HostUnreachable. */
  list(): Promise<string[]>;
  /** Whether the app exists. Fails with HostUnreachable. */
  exists(app: AppName): Promise<boolean>;
  /** Status of one app. Fails with AppNotFound, HostUnreachable. */
  status(app: AppName): Promise<AppStatus>;
  /** Creates an empty app. Fails with AppAlreadyExists, HostUnreachable. */
  create(app: AppName): Promise<void>;
  /** Destroys an app and its containers. Fails with AppNotFound, HostUnreachable. */
  destroy(app: AppName): Promise<void>;
  /** Stops the app's containers (no deploy). Fails with AppNotFound, NotDeployed, HostUnreachable. */
  stop(app: AppName): Promise<void>;
}
