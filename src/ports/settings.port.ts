/** The limits use cases enforce, read from configuration by the container. */
export const Limits = Symbol('Limits');
export interface Limits {
  readonly runtimeDefaultLines: number;
  readonly runtimeMaxLines: number;
  readonly streamBufferSize: number;
  /** How long an app's follower outlives its last subscriber (logs.runtime.stream_linger_ms). */
  readonly streamLingerMs: number;
  /** Apps followed at once (logs.runtime.max_streams). */
  readonly maxStreams: number;
  /** Live log subscriptions per tenant (logs.runtime.max_streams_per_tenant); callers without a tenant count as one. */
  readonly maxStreamsPerTenant: number;
  /** Live log subscriptions per session (logs.runtime.max_streams_per_session). */
  readonly maxStreamsPerSession: number;
  /** Build log cap per deployment, in bytes of UTF-8. */
  readonly buildLogMaxBytes: number;
  readonly buildRetentionMs: number;
  readonly maxDeployments: number;
}

/** Limits on callers, read from configuration (auth.*) by the container. */
export const AccessLimits = Symbol('AccessLimits');
export interface AccessLimits {
  /** Concurrent sessions one tenant may hold (auth.max_sessions_per_tenant). */
  readonly maxSessionsPerTenant: number;
}

/** How deploys are tied to the host's build record, read from configuration (deployments.*) by the container. */
export const DeploymentSettings = Symbol('DeploymentSettings');
export interface DeploymentSettings {
  /** How long a deploy waits for its build to appear in the host's record before answering (deployments.build_id_wait_ms). */
  readonly buildIdWaitMs: number;
  /**
   * With a shared store: how long a deployment's writer must have shown no sign of life (its deploy lock free) before
   * another instance settles it (store.lease_ttl_ms).
   */
  readonly orphanGraceMs: number;
  /**
   * After the connection drops under a running deploy: how long the host's build record is asked how it ended before
   * the deployment ends "outcome unknown" (deployments.lost_recheck_seconds; 0 = not asked).
   */
  readonly lostRecheckMs: number;
}

/** How a followed app is watched for container changes made outside this server, read from configuration by the container. */
export const HostChangeSettings = Symbol('HostChangeSettings');
export interface HostChangeSettings {
  /** How often a followed app's running containers are compared with those its follower follows (logs.runtime.host_change_poll_seconds); 0 = never. */
  readonly pollMs: number;
}

/** How the follower of an app's shared runtime-log feed is chosen (store.type: redis), read from configuration. */
export const FollowerLeaseSettings = Symbol('FollowerLeaseSettings');
export interface FollowerLeaseSettings {
  /** The follower's lease (store.lease_ttl_ms): renewed while it follows; another instance takes over once it expires. */
  readonly leaseMs: number;
}
