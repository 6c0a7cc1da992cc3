import type { BuildLog, BuildLogRead } from '../domain/build-log.js';
import type { Deployment } from '../domain/deployment.js';

export interface DeploymentFilter {
  readonly app?: string;
  readonly activeOnly?: boolean;
}

/**
 * Deployments in progress and recently finished, with their build logs: in this process (store.type: memory) or shared
 * by every instance (redis). The instance that runs a deployment writes it (`add`, then `changed`); any instance reads
 * it, its log by byte offset, and watches it. Every method may fail with StateStoreUnavailable (a shared store that does
 * not answer) — except `changed`, whose writes a shared store keeps and retries until it answers again.
 */
export const DeploymentStore = Symbol('DeploymentStore');
export interface DeploymentStore {
  /**
   * Adds a new deployment and the build log this instance appends its output to; may evict the oldest finished ones
   * to stay within logs.build.max_deployments. False, and nothing stored, when one with its key is there already
   * (another instance began following the same host build first).
   */
  add(deployment: Deployment, log: BuildLog): Promise<boolean>;
  /** The deployment by its id or its key (they differ once a deployment of ours learns its host build id), or undefined. */
  get(id: string): Promise<Deployment | undefined>;
  /** Newest first. */
  list(filter?: DeploymentFilter): Promise<Deployment[]>;
  /**
   * Its status or log changed: stored (the new lines of the log this instance appends to, if it does), watchers told;
   * the retention clock starts once it is finished. A stored deployment that has finished is never changed again (an
   * instance that settled one whose writer was gone came first). Never rejects: a shared store that does not answer
   * keeps the writer's changes (its log up to the cap, then a gap) and writes them once it answers again.
   */
  changed(deployment: Deployment): Promise<void>;
  /** Records that a cancel was sent for the deployment (or, `false`, that it could not be): its writer reads it when Dokku exits. */
  requestCancel(id: string, requested: boolean): Promise<void>;
  /** Calls `listener` on every change of the deployment (by id or key), wherever it is written; resolves to the unsubscribe function. */
  watch(id: string, listener: (deployment: Deployment) => void): Promise<() => void>;
  /**
   * Its build log from a byte offset (whole lines; an offset inside a line starts at the next one), with what the cap
   * dropped (or a gap lost) before it; empty text for an unknown deployment.
   */
  readLog(id: string, sinceOffset: number): Promise<BuildLogRead>;
  /** The last `lines` lines of its build log (no marker). */
  tailLog(id: string, lines: number): Promise<string>;
}
