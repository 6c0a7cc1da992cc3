import { ServerLifecycle } from '../../src/application/server/server-lifecycle.js';
import { InMemoryClusterLock } from '../../src/adapters/outbound/memory/in-memory-cluster-lock.adapter.js';
import { InMemoryDeploymentStore } from '../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { InMemoryReleaseHistory } from '../../src/adapters/outbound/memory/in-memory-release-history.adapter.js';
import { SandboxDokkuBuilds } from '../../src/adapters/outbound/sandbox/sandbox-dokku-builds.adapter.js';
import { SandboxDokkuApps } from '../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from '../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuDeploys } from '../../src/adapters/outbound/sandbox/sandbox-dokku-deploys.adapter.js';
import { SandboxDokkuDomains } from '../../src/adapters/outbound/sandbox/sandbox-dokku-domains.adapter.js';
import { SandboxDokkuHost, type SandboxAppSeed } from '../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { SandboxDokkuLogs } from '../../src/adapters/outbound/sandbox/sandbox-dokku-logs.adapter.js';
import { SandboxDokkuServer } from '../../src/adapters/outbound/sandbox/sandbox-dokku-server.adapter.js';
import { AccessPolicy } from '../../src/application/access/access-policy.js';
import { AppSecrets } from '../../src/application/config/app-secrets.js';
import { DeploymentChecks } from '../../src/application/deployments/deployment-checks.js';
import { DeployLocks } from '../../src/application/deployments/deploy-locks.js';
import { DeploymentRunner } from '../../src/application/deployments/deployment-runner.js';
import { GetDeployment } from '../../src/application/deployments/get-deployment.use-case.js';
import { HostBuildLink } from '../../src/application/deployments/host-build-link.js';
import { HostDeployments } from '../../src/application/deployments/host-deployments.js';
import { ListDeployments } from '../../src/application/deployments/list-deployments.use-case.js';
import { ContainerChanges } from '../../src/application/logs/container-changes.js';
import { RuntimeLogHub } from '../../src/application/logs/runtime-log-hub.js';
import { unrestrictedCaller } from '../../src/domain/caller.js';
import type { Deployment } from '../../src/domain/deployment.js';
import { Sanitizer } from '../../src/domain/sanitizer.js';
import { Tenancy } from '../../src/domain/tenancy.js';
import type { ClusterLock } from '../../src/ports/cluster-lock.port.js';
import type { Limits } from '../../src/ports/settings.port.js';
import { FakeClock } from './fake-clock.js';
import { RecordingLogger } from './recording-logger.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';
import { logText } from './wait-for.js';

export const TEST_LIMITS: Limits = {
  runtimeDefaultLines: 100,
  runtimeMaxLines: 1000,
  streamBufferSize: 1000,
  streamLingerMs: 5000,
  maxStreams: 4,
  maxStreamsPerTenant: 100,
  maxStreamsPerSession: 10,
  buildLogMaxBytes: 10 * 1024 * 1024,
  buildRetentionMs: 5 * 60_000,
  maxDeployments: 200,
};

/** No tenants configured: the access rule lets every caller see every app (the single-tenant server). */
export const OPEN_ACCESS = new AccessPolicy(new Tenancy());
/** A caller that sees every app and has every scope (stdio without auth.stdio_tenant). */
export const OPERATOR = unrestrictedCaller('stdio', 'test-session');

export interface WorldOptions {
  readonly limits?: Partial<Limits>;
  readonly seed?: readonly SandboxAppSeed[];
  readonly deployStepMs?: number;
  readonly dokkuVersion?: string;
  /** Another in-memory store (e.g. one that answers with copies, as a shared one does). */
  readonly store?: (clock: FakeClock, limits: Limits) => InMemoryDeploymentStore;
  /** Another cluster lock (e.g. one whose store does not answer). */
  readonly lock?: ClusterLock;
  /** deployments.lost_recheck_seconds, in ms (2 s unless set). */
  readonly lostRecheckMs?: number;
}

/**
 * The real use cases' collaborators, wired by hand: the sandbox host and its adapters, an in-memory store and a fake
 * clock that both the store (retention) and the host (runtime log lines) follow. Call `dispose()` after each test.
 */
export function createWorld(options: WorldOptions = {}) {
  const limits: Limits = { ...TEST_LIMITS, ...options.limits };
  const clock = new FakeClock();
  const host = new SandboxDokkuHost({
    deployStepMs: options.deployStepMs ?? 5,
    clock: clock.epochMs,
    seed: options.seed,
    dokkuVersion: options.dokkuVersion,
  });
  const apps = new SandboxDokkuApps(host);
  const deploys = new SandboxDokkuDeploys(host);
  const logs = new SandboxDokkuLogs(host);
  const config = new SandboxDokkuConfig(host);
  const domains = new SandboxDokkuDomains(host);
  const server = new SandboxDokkuServer(host);
  const store = options.store?.(clock, limits) ?? new InMemoryDeploymentStore(clock, { retentionMs: limits.buildRetentionMs, maxDeployments: limits.maxDeployments });
  const sanitizer = new Sanitizer();
  const logger = new RecordingLogger();
  const appSecrets = new AppSecrets(config, sanitizer, clock, logger);
  const builds = new SandboxDokkuBuilds(host);
  const history = new InMemoryReleaseHistory();
  const hostLink = new HostBuildLink(builds, store, { buildIdWaitMs: 1_000, orphanGraceMs: 1_000, lostRecheckMs: options.lostRecheckMs ?? 2_000 }, logger);
  const checks = new DeploymentChecks(apps, builds, history, logger);
  const lifecycle = new ServerLifecycle();
  const containerChanges = new ContainerChanges();
  const lock = options.lock ?? new InMemoryClusterLock();
  const locks = new DeployLocks(lock, store, logger);
  const runner = new DeploymentRunner(apps, deploys, store, clock, new SequentialIdGenerator(), limits, appSecrets, logger, hostLink, checks, locks, lifecycle, containerChanges);
  const hostDeployments = new HostDeployments(builds, store, clock, limits, appSecrets, logger);
  const getDeployment = new GetDeployment(store, OPEN_ACCESS, hostDeployments);
  const listDeployments = new ListDeployments(store, OPEN_ACCESS, builds);
  const hub = new RuntimeLogHub(logs, apps, appSecrets, limits, logger, containerChanges);
  return {
    limits, clock, host, apps, deploys, logs, config, domains, server, store, sanitizer, appSecrets, logger, lifecycle, runner, getDeployment,
    builds, history, hostLink, checks, hostDeployments, listDeployments, lock, locks, containerChanges, hub,
    /** The deployment's whole build log as the store holds it. */
    logOf: (deployment: Deployment) => logText(store, deployment),
    dispose: () => {
      hub.dispose();
      host.dispose();
    },
  };
}

export type World = ReturnType<typeof createWorld>;
