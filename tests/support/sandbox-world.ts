import { InMemoryDeploymentStore } from '../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { SandboxDokkuApps } from '../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from '../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuDeploys } from '../../src/adapters/outbound/sandbox/sandbox-dokku-deploys.adapter.js';
import { SandboxDokkuDomains } from '../../src/adapters/outbound/sandbox/sandbox-dokku-domains.adapter.js';
import { SandboxDokkuHost, type SandboxAppSeed } from '../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { SandboxDokkuLogs } from '../../src/adapters/outbound/sandbox/sandbox-dokku-logs.adapter.js';
import { SandboxDokkuServer } from '../../src/adapters/outbound/sandbox/sandbox-dokku-server.adapter.js';
import { AccessPolicy } from '../../src/application/access/access-policy.js';
import { AppSecrets } from '../../src/application/config/app-secrets.js';
import { DeploymentRunner } from '../../src/application/deployments/deployment-runner.js';
import { GetDeployment } from '../../src/application/deployments/get-deployment.use-case.js';
import { ContainerChanges } from '../../src/application/logs/container-changes.js';
import { RuntimeLogHub } from '../../src/application/logs/runtime-log-hub.js';
import { unrestrictedCaller } from '../../src/domain/caller.js';
import { Sanitizer } from '../../src/domain/sanitizer.js';
import { Tenancy } from '../../src/domain/tenancy.js';
import type { Limits } from '../../src/ports/settings.port.js';
import { FakeClock } from './fake-clock.js';
import { RecordingLogger } from './recording-logger.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';

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
  const store = new InMemoryDeploymentStore(clock, { retentionMs: limits.buildRetentionMs, maxDeployments: limits.maxDeployments });
  const sanitizer = new Sanitizer();
  const logger = new RecordingLogger();
  const appSecrets = new AppSecrets(config, sanitizer, clock, logger);
  const containerChanges = new ContainerChanges();
  const runner = new DeploymentRunner(apps, deploys, store, clock, new SequentialIdGenerator(), limits, appSecrets, logger, containerChanges);
  const getDeployment = new GetDeployment(store, OPEN_ACCESS);
  const hub = new RuntimeLogHub(logs, apps, appSecrets, limits, logger, containerChanges);
  return {
    limits, clock, host, apps, deploys, logs, config, domains, server, store, sanitizer, appSecrets, logger, runner, getDeployment, containerChanges, hub,
    dispose: () => {
      hub.dispose();
      host.dispose();
    },
  };
}

export type World = ReturnType<typeof createWorld>;
