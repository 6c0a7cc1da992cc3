import type { Deployment } from '../domain/deployment.js';

export interface DeploymentFilter {
  readonly app?: string;
  readonly activeOnly?: boolean;
}

/** Deployments in progress and recently finished, with their build logs. */
export const DeploymentStore = Symbol('DeploymentStore');
export interface DeploymentStore {
  /** Adds a new deployment; may evict the oldest finished ones to stay within its count bound. */
  add(deployment: Deployment): void;
  /** The deployment by its id or its key (they differ once a deployment of ours learns its host build id), or undefined. */
  get(id: string): Deployment | undefined;
  /** Newest first. */
  list(filter?: DeploymentFilter): Deployment[];
  /** Tells watchers of this deployment that its log or status changed; starts the retention clock once it is finished. */
  changed(deployment: Deployment): void;
  /** Calls `listener` on every change of the deployment (by id or key); returns the unsubscribe function. */
  watch(id: string, listener: (deployment: Deployment) => void): () => void;
}
