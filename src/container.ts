import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import { Container, ContainerModule, type Newable } from 'inversify';
import { mcpModule } from './adapters/inbound/mcp/mcp.module.js';
import { McpServerOptions } from './adapters/inbound/mcp/mcp-options.js';
import { McpServerFactory } from './adapters/inbound/mcp/server-factory.js';
import { BoundedEventStore } from './adapters/inbound/mcp/transports/bounded-event-store.js';
import { ToolRegistrar } from './adapters/inbound/mcp/tool-registrar.js';
import { HttpRequestBudget } from './adapters/inbound/mcp/transports/http-request-budget.js';
import { HttpSessionTable } from './adapters/inbound/mcp/transports/http-session-table.js';
import { mcpHttpRoutes } from './adapters/inbound/mcp/transports/mcp-http-routes.js';
import type { Readiness } from './adapters/inbound/http/health.js';
import { jsonRpcRefusal } from './adapters/inbound/http/json-rpc-refusal.js';
import { bearerAuth } from './adapters/inbound/http/bearer-auth.js';
import { logStreamRoute } from './adapters/inbound/http/log-stream-route.js';
import { metricsRoute } from './adapters/inbound/http/metrics-route.js';
import { callerForRequest } from './adapters/inbound/http/request-caller.js';
import type { ServeHttpOptions } from './adapters/inbound/http/serve-http.js';
import { InMemoryDeploymentStore } from './adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { InMemoryClusterLock } from './adapters/outbound/memory/in-memory-cluster-lock.adapter.js';
import { InMemoryRateLimiter } from './adapters/outbound/memory/in-memory-rate-limiter.adapter.js';
import { InMemorySessionPresence } from './adapters/outbound/memory/in-memory-session-presence.adapter.js';
import { InMemoryStateStore } from './adapters/outbound/memory/in-memory-state-store.adapter.js';
import { RedisClusterLock } from './adapters/outbound/redis/redis-cluster-lock.adapter.js';
import { RedisConnection } from './adapters/outbound/redis/redis-connection.js';
import { RedisDeploymentStore } from './adapters/outbound/redis/redis-deployment-store.adapter.js';
import { RedisRateLimiter } from './adapters/outbound/redis/redis-rate-limiter.adapter.js';
import { RedisReleaseHistory } from './adapters/outbound/redis/redis-release-history.adapter.js';
import { RedisSessionPresence } from './adapters/outbound/redis/redis-session-presence.adapter.js';
import { InMemoryReleaseHistory } from './adapters/outbound/memory/in-memory-release-history.adapter.js';
import { InMemoryRuntimeLogFeed } from './adapters/outbound/memory/in-memory-runtime-log-feed.adapter.js';
import { RedisRuntimeLogFeed } from './adapters/outbound/redis/redis-runtime-log-feed.adapter.js';
import { PromMetrics } from './adapters/outbound/metrics/prom-metrics.adapter.js';
import { SandboxDokkuHost } from './adapters/outbound/sandbox/sandbox-dokku-host.js';
import { DEFAULT_SANDBOX_SEED, WORKER_APP_SEED } from './adapters/outbound/sandbox/sandbox-seed.js';
import { SandboxDokkuApps } from './adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuBuilds } from './adapters/outbound/sandbox/sandbox-dokku-builds.adapter.js';
import { SandboxDokkuConfig } from './adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuDeploys } from './adapters/outbound/sandbox/sandbox-dokku-deploys.adapter.js';
import { SandboxDokkuDomains } from './adapters/outbound/sandbox/sandbox-dokku-domains.adapter.js';
import { SandboxDokkuLogs } from './adapters/outbound/sandbox/sandbox-dokku-logs.adapter.js';
import { SandboxDokkuServer } from './adapters/outbound/sandbox/sandbox-dokku-server.adapter.js';
import { SandboxDokkuLetsencrypt } from './adapters/outbound/sandbox/sandbox-dokku-letsencrypt.adapter.js';
import { SandboxDokkuServices } from './adapters/outbound/sandbox/sandbox-dokku-services.adapter.js';
import { SandboxDokkuSshKeys } from './adapters/outbound/sandbox/sandbox-dokku-ssh-keys.adapter.js';
import { createSshDokkuAdapters } from './adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { FileAuditLog } from './adapters/outbound/system/file-audit-log.adapter.js';
import { sha256, Sha256TokenMatcher } from './adapters/outbound/system/sha256-token-matcher.adapter.js';
import { SortableIdGenerator } from './adapters/outbound/system/sortable-id-generator.adapter.js';
import { WinstonAuditLog } from './adapters/outbound/system/winston-audit-log.adapter.js';
import { SystemClock } from './adapters/outbound/system/system-clock.adapter.js';
import { createWinstonLogger, WinstonLogger } from './adapters/outbound/system/winston-logger.js';
import { AccessPolicy } from './application/access/access-policy.js';
import { AuthenticateCaller } from './application/access/authenticate-caller.use-case.js';
import { RequestBudget } from './application/access/request-budget.js';
import { SessionAdmission } from './application/access/session-admission.js';
import { CreateApp } from './application/apps/create-app.use-case.js';
import { DestroyApp } from './application/apps/destroy-app.use-case.js';
import { GetAppStatus } from './application/apps/get-app-status.use-case.js';
import { ListApps } from './application/apps/list-apps.use-case.js';
import { StopApp } from './application/apps/stop-app.use-case.js';
import { AppSecrets } from './application/config/app-secrets.js';
import { ConfigureApp } from './application/config/configure-app.use-case.js';
import { GetAppConfig } from './application/config/get-app-config.use-case.js';
import { UnsetAppConfig } from './application/config/unset-app-config.use-case.js';
import { CancelDeployment } from './application/deployments/cancel-deployment.use-case.js';
import { DeployApp } from './application/deployments/deploy-app.use-case.js';
import { DeployImage } from './application/deployments/deploy-image.use-case.js';
import { DeploymentChecks } from './application/deployments/deployment-checks.js';
import { DeploymentRunner } from './application/deployments/deployment-runner.js';
import { GetBuildLogs } from './application/deployments/get-build-logs.use-case.js';
import { GetDeployment } from './application/deployments/get-deployment.use-case.js';
import { GetDeploymentStatus } from './application/deployments/get-deployment-status.use-case.js';
import { DeployLocks } from './application/deployments/deploy-locks.js';
import { HostBuildLink } from './application/deployments/host-build-link.js';
import { HostDeployments } from './application/deployments/host-deployments.js';
import { ListDeployments } from './application/deployments/list-deployments.use-case.js';
import { OrphanedDeployments } from './application/deployments/orphaned-deployments.js';
import { RebuildApp } from './application/deployments/rebuild-app.use-case.js';
import { RestartApp } from './application/deployments/restart-app.use-case.js';
import { RollbackApp } from './application/deployments/rollback-app.use-case.js';
import { ScaleApp } from './application/deployments/scale-app.use-case.js';
import { StartApp } from './application/deployments/start-app.use-case.js';
import { WatchDeployment } from './application/deployments/watch-deployment.use-case.js';
import { AddAppDomain } from './application/domains/add-app-domain.use-case.js';
import { AddGlobalDomain } from './application/domains/add-global-domain.use-case.js';
import { GetAppDomains } from './application/domains/get-app-domains.use-case.js';
import { ListGlobalDomains } from './application/domains/list-global-domains.use-case.js';
import { RemoveAppDomain } from './application/domains/remove-app-domain.use-case.js';
import { GetFailedDeployLogs } from './application/logs/get-failed-deploy-logs.use-case.js';
import { ClusterLogFollowing } from './application/logs/cluster-log-following.js';
import { ContainerChanges } from './application/logs/container-changes.js';
import { FollowRuntimeLogs } from './application/logs/follow-runtime-logs.use-case.js';
import { GetRuntimeLogs } from './application/logs/get-runtime-logs.use-case.js';
import { RuntimeLogHub } from './application/logs/runtime-log-hub.js';
import { HostChangeWatch } from './application/logs/host-change-watch.js';
import { SubscribeRuntimeLogs } from './application/logs/subscribe-runtime-logs.use-case.js';
import { CheckHost } from './application/server/check-host.use-case.js';
import { DrainDeployments } from './application/server/drain-deployments.use-case.js';
import { ServerLifecycle } from './application/server/server-lifecycle.js';
import { GetServerInfo } from './application/server/get-server-info.use-case.js';
import { ReadMetrics } from './application/server/read-metrics.use-case.js';
import { PLUGIN_USE_CASES } from './application/plugin-use-cases.js';
import type { AppConfig } from './config/app-config.js';
import { redisUrlSecret } from './config/store-config.js';
import { ALL_SCOPES, type Caller } from './domain/caller.js';
import { KnownSecrets } from './domain/known-secrets.js';
import { Sanitizer } from './domain/sanitizer.js';
import { Tenancy } from './domain/tenancy.js';
import { AuditLog } from './ports/audit-log.port.js';
import { Clock } from './ports/clock.port.js';
import { ClusterLock } from './ports/cluster-lock.port.js';
import { DeploymentStore } from './ports/deployment-store.port.js';
import { DokkuApps } from './ports/dokku-apps.port.js';
import { DokkuBuilds } from './ports/dokku-builds.port.js';
import { DokkuConfig } from './ports/dokku-config.port.js';
import { DokkuDeploys } from './ports/dokku-deploys.port.js';
import { DokkuDomains } from './ports/dokku-domains.port.js';
import { DokkuLogs } from './ports/dokku-logs.port.js';
import { DokkuServer } from './ports/dokku-server.port.js';
import { DokkuLetsencrypt } from './ports/dokku-letsencrypt.port.js';
import { DokkuServices } from './ports/dokku-services.port.js';
import { DokkuSshKeys } from './ports/dokku-ssh-keys.port.js';
import { IdGenerator } from './ports/id-generator.port.js';
import { Logger } from './ports/logger.port.js';
import { Metrics } from './ports/metrics.port.js';
import { RateLimiter } from './ports/rate-limiter.port.js';
import { SessionPresence } from './ports/session-presence.port.js';
import { StateStore } from './ports/state-store.port.js';
import { ReleaseHistory } from './ports/release-history.port.js';
import { RuntimeLogFeed } from './ports/runtime-log-feed.port.js';
import { TokenMatcher } from './ports/token-matcher.port.js';
import { AccessLimits, DeploymentSettings, FollowerLeaseSettings, HostChangeSettings, Limits } from './ports/settings.port.js';

/** Every use case (and the application services they share), bound to itself as a singleton; they take only ports. */
const USE_CASES = [
  AccessPolicy, RequestBudget, AuthenticateCaller, SessionAdmission, AppSecrets, ContainerChanges, ClusterLogFollowing, RuntimeLogHub, HostChangeWatch,
  ListApps, GetAppStatus, CreateApp, DestroyApp, StopApp,
  HostBuildLink, DeploymentChecks, HostDeployments, DeployLocks, OrphanedDeployments,
  DeploymentRunner, DeployApp, DeployImage, RestartApp, StartApp, RebuildApp, ScaleApp, RollbackApp,
  GetDeployment, GetDeploymentStatus, ListDeployments, GetBuildLogs, CancelDeployment, WatchDeployment,
  GetRuntimeLogs, SubscribeRuntimeLogs, FollowRuntimeLogs, GetFailedDeployLogs, GetAppConfig, ConfigureApp, UnsetAppConfig,
  GetAppDomains, AddAppDomain, RemoveAppDomain, ListGlobalDomains, AddGlobalDomain, GetServerInfo, CheckHost, ReadMetrics,
  ...PLUGIN_USE_CASES,
  ServerLifecycle, DrainDeployments,
] as const;

export interface ContainerOverrides {
  /** Where logs go (stderr by default). */
  readonly logStream?: NodeJS.WritableStream;
  /** Use this sandbox host instead of a new one (tests). */
  readonly sandboxHost?: SandboxDokkuHost;
}

/** Resources the process must release on shutdown: the SSH connection (or the sandbox's timers), the state store, then the audit file. */
export interface Disposables {
  dispose(): Promise<void>;
}
export const Disposables = Symbol('Disposables');
/** The Dokku module's part of Disposables (the SSH connection, or the sandbox). */
const DokkuHostDisposable = Symbol('DokkuHostDisposable');

const PACKAGE_NAME = 'dokku-mcp';

function coreModule(config: AppConfig, version: string, overrides: ContainerOverrides): ContainerModule {
  return new ContainerModule(({ bind, onActivation }) => {
    // Tokens read from the environment (and the Redis password) are secrets like any other: redacted wherever they might appear.
    const tokenValues = config.access.tokens.flatMap((token) => ('value' in token.secret ? [token.secret.value] : []));
    const redisPassword = redisUrlSecret(config.store.redisUrl);
    const sanitizer = new Sanitizer(redisPassword === undefined ? tokenValues : [...tokenValues, redisPassword]);
    bind(Sanitizer).toConstantValue(sanitizer);
    // The server's own log redacts every app's config values read so far, too (KnownSecrets).
    const known = new KnownSecrets(sanitizer);
    bind(KnownSecrets).toConstantValue(known);
    const logger = new WinstonLogger(createWinstonLogger(config.log.level, overrides.logStream), (s) => known.redact(s));
    bind(Logger).toConstantValue(logger);
    const clock = new SystemClock();
    bind(Clock).toConstantValue(clock);
    bind(IdGenerator).toConstantValue(new SortableIdGenerator());
    const limits: Limits = {
      runtimeDefaultLines: config.logs.runtime.defaultLines,
      runtimeMaxLines: config.logs.runtime.maxLines,
      streamBufferSize: config.logs.runtime.streamBufferSize,
      streamLingerMs: config.logs.runtime.streamLingerMs,
      maxStreams: config.logs.runtime.maxStreams,
      maxStreamsPerTenant: config.logs.runtime.maxStreamsPerTenant,
      maxStreamsPerSession: config.logs.runtime.maxStreamsPerSession,
      buildLogMaxBytes: Math.floor(config.logs.build.maxSizeMb * 1024 * 1024),
      buildRetentionMs: config.logs.build.retentionMinutes * 60_000,
      maxDeployments: config.logs.build.maxDeployments,
    };
    bind(Limits).toConstantValue(limits);
    bind(HostChangeSettings).toConstantValue({ pollMs: config.logs.runtime.hostChangePollSeconds * 1000 } satisfies HostChangeSettings);
    bind(DeploymentSettings).toConstantValue({
      buildIdWaitMs: config.deployments.buildIdWaitMs,
      orphanGraceMs: config.store.leaseTtlMs,
      lostRecheckMs: config.deployments.lostRecheckMs,
    } satisfies DeploymentSettings);
    bind(FollowerLeaseSettings).toConstantValue({ leaseMs: config.store.leaseTtlMs } satisfies FollowerLeaseSettings);
    bind(AccessLimits).toConstantValue({ maxSessionsPerTenant: config.access.maxSessionsPerTenant } satisfies AccessLimits);
    bind(Tenancy).toConstantValue(new Tenancy(config.access.tenants));
    bind(TokenMatcher).toConstantValue(
      new Sha256TokenMatcher(
        config.access.tokens.map((token) => ({
          digest: 'sha256' in token.secret ? Buffer.from(token.secret.sha256, 'hex') : sha256(token.secret.value),
          grant: { id: token.id, tenant: token.tenant, scopes: token.scopes },
        })),
      ),
    );
    const store = storeAdapters(config, clock, logger, limits);
    bind(StoreParts).toConstantValue(store);
    bind(StateStore).toConstantValue(store.state);
    bind(DeploymentStore).toConstantValue(store.deployments);
    bind(ReleaseHistory).toConstantValue(store.releases);
    bind(RateLimiter).toConstantValue(store.rateLimiter);
    bind(SessionPresence).toConstantValue(store.presence);
    bind(ClusterLock).toConstantValue(store.lock);
    bind(RuntimeLogFeed).toConstantValue(store.feed);
    bind(AuditLog).toConstantValue(config.audit.file ? new FileAuditLog(config.audit.file, logger) : new WinstonAuditLog(overrides.logStream));
    bind(Metrics).toDynamicValue((ctx) => {
      const store = ctx.get<DeploymentStore>(DeploymentStore);
      return new PromMetrics({
        deploymentStatuses: async () => (await store.list()).map((d) => d.status),
        sshChannels: () => {
          if (config.dokku.sandbox) return null;
          const connection = ctx.get<ReturnType<typeof createSshDokkuAdapters>>(DokkuSsh).connection;
          return { inUse: connection.channelsInUse, queued: connection.queued };
        },
      });
    }).inSingletonScope();
    bind(McpServerOptions).toConstantValue({
      name: PACKAGE_NAME,
      version,
      simulated: config.dokku.sandbox,
      hostLabel: config.dokku.sandbox ? 'sandbox (simulated Dokku host)' : `${config.ssh.user}@${config.ssh.host}:${config.ssh.port}`,
      readOnly: config.security.readOnly,
      toolsets: config.tools.toolsets,
      requireElicitation: config.security.requireElicitation,
    } satisfies McpServerOptions);
    for (const useCase of USE_CASES) bind(useCase as Newable<object>).toSelf().inSingletonScope();
    // Whenever followers can exist, so does the watch of their apps' containers (it listens from its construction).
    onActivation(RuntimeLogHub, (ctx, hub: RuntimeLogHub) => (ctx.get(HostChangeWatch), hub));
  });
}

/** What store.type selects: the shared-state ports, and how to connect and release the store behind them. */
interface StoreParts {
  /** Several instances share it: deployments whose instance is gone are settled by the others. */
  readonly shared: boolean;
  readonly state: StateStore;
  readonly deployments: DeploymentStore;
  /** The last releases of each app, for rollback_app. */
  readonly releases: ReleaseHistory;
  readonly rateLimiter: RateLimiter;
  readonly presence: SessionPresence;
  readonly lock: ClusterLock;
  /** Live runtime logs as the app's one follower writes them (in memory: not shared, the hub follows by itself). */
  readonly feed: RuntimeLogFeed;
  /** Resolves once the store answers; rejects with StateStoreUnavailable at the first failure (it keeps trying). */
  connect(): Promise<void>;
  close(): Promise<void>;
}
const StoreParts = Symbol('StoreParts');

/** The one place that decides where shared state lives: this process's memory, or Redis for several instances. */
function storeAdapters(config: AppConfig, clock: Clock, logger: Logger, limits: Limits): StoreParts {
  const { store, access } = config;
  const retention = { retentionMs: limits.buildRetentionMs, maxDeployments: limits.maxDeployments };
  if (store.type === 'memory') {
    const deployments = new InMemoryDeploymentStore(clock, { ...retention, sweepIntervalMs: 30_000 });
    return {
      shared: false,
      state: new InMemoryStateStore(),
      deployments,
      releases: new InMemoryReleaseHistory(),
      rateLimiter: new InMemoryRateLimiter(access.rateLimit, clock),
      presence: new InMemorySessionPresence(),
      lock: new InMemoryClusterLock(),
      feed: new InMemoryRuntimeLogFeed(limits.streamBufferSize),
      connect: async () => undefined,
      close: async () => deployments.stopSweeping(),
    };
  }
  const redis = new RedisConnection({ url: store.redisUrl as string, keyPrefix: store.keyPrefix }, logger); // loadConfig guarantees the URL
  const presence = new RedisSessionPresence(redis, store.leaseTtlMs, logger);
  const lock = new RedisClusterLock(redis, store.leaseTtlMs);
  const deployments = new RedisDeploymentStore(redis, { ...retention, maxLogBytes: limits.buildLogMaxBytes }, logger);
  return {
    shared: true,
    state: redis,
    deployments,
    releases: new RedisReleaseHistory(redis),
    rateLimiter: new RedisRateLimiter(access.rateLimit, redis),
    presence,
    lock,
    feed: new RedisRuntimeLogFeed(redis, limits.streamBufferSize, logger),
    connect: () => redis.connect(),
    close: async () => {
      presence.stop();
      await deployments.close(); // a deploy's last words first
      lock.stop();
      await redis.close();
    },
  };
}

/**
 * Connects the state store (Redis with store.type: redis; nothing to do in memory). Rejects with StateStoreUnavailable
 * at the first failure, the connection going on trying in the background: HTTP refuses to start on it, stdio does not wait.
 */
export function connectStateStore(container: Container): Promise<void> {
  const parts = container.get<StoreParts>(StoreParts);
  if (parts.shared) container.get(OrphanedDeployments).start();
  return parts.connect();
}

/** The one place that decides which adapter serves which Dokku port: the simulated host, or a real one over SSH. */
function dokkuModule(config: AppConfig, overrides: ContainerOverrides): ContainerModule {
  return new ContainerModule(({ bind }) => {
    if (config.dokku.sandbox) {
      const host = overrides.sandboxHost ??
        new SandboxDokkuHost({ deployStepMs: config.sandbox.deployStepMs, seed: [...DEFAULT_SANDBOX_SEED, WORKER_APP_SEED] });
      bind(DokkuApps).toConstantValue(new SandboxDokkuApps(host));
      bind(DokkuDeploys).toConstantValue(new SandboxDokkuDeploys(host));
      bind(DokkuBuilds).toConstantValue(new SandboxDokkuBuilds(host, config.ssh.deployTimeoutMs));
      bind(DokkuLogs).toConstantValue(new SandboxDokkuLogs(host));
      bind(DokkuConfig).toConstantValue(new SandboxDokkuConfig(host));
      bind(DokkuDomains).toConstantValue(new SandboxDokkuDomains(host));
      bind(DokkuServer).toConstantValue(new SandboxDokkuServer(host));
      bind(DokkuServices).toConstantValue(new SandboxDokkuServices(host));
      bind(DokkuLetsencrypt).toConstantValue(new SandboxDokkuLetsencrypt(host));
      bind(DokkuSshKeys).toConstantValue(new SandboxDokkuSshKeys(host));
      bind<Disposables>(DokkuHostDisposable).toDynamicValue((ctx) => ({
        dispose: async () => {
          await ctx.get(RuntimeLogHub).dispose();
          ctx.get(HostChangeWatch).dispose();
          host.dispose();
        },
      }));
      return;
    }
    bind(DokkuSsh).toDynamicValue((ctx) => {
      const host = config.ssh.host as string; // loadConfig guarantees a host when not in sandbox mode
      return createSshDokkuAdapters({ ...config.ssh, host }, { sanitizer: ctx.get(Sanitizer), logger: ctx.get<Logger>(Logger) });
    }).inSingletonScope();
    type Ssh = ReturnType<typeof createSshDokkuAdapters>;
    bind(DokkuApps).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).apps);
    bind(DokkuDeploys).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).deploys);
    bind(DokkuBuilds).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).builds);
    bind(DokkuLogs).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).logs);
    bind(DokkuConfig).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).config);
    bind(DokkuDomains).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).domains);
    bind(DokkuServer).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).server);
    bind(DokkuServices).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).services);
    bind(DokkuLetsencrypt).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).letsencrypt);
    bind(DokkuSshKeys).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).sshKeys);
    bind<Disposables>(DokkuHostDisposable).toDynamicValue((ctx) => ({
      dispose: async () => {
        await ctx.get(RuntimeLogHub).dispose();
        ctx.get(HostChangeWatch).dispose();
        return ctx.get<Ssh>(DokkuSsh).connection.close();
      },
    }));
  });
}
const DokkuSsh = Symbol('DokkuSsh');

/**
 * The caller a stdio session acts for, from the configuration: auth.stdio_tenant's apps (every app when null), every
 * scope — except admin for a tenant (admin is host-wide, beyond any tenant) and write in read-only mode.
 */
export function stdioCaller(config: AppConfig, sessionId: string): Caller {
  const tenant = config.access.stdioTenant;
  const scopes = config.security.readOnly ? ALL_SCOPES.slice(0, 1) : tenant === null ? ALL_SCOPES : ALL_SCOPES.slice(0, 2);
  return { transport: 'stdio', sessionId, tokenId: null, tenant, scopes };
}

export function buildContainer(config: AppConfig, version: string, overrides: ContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(coreModule(config, version, overrides), dokkuModule(config, overrides), mcpModule);
  // The Dokku side first (a deploy's last words may still go to the store), then the state store.
  container.bind<Disposables>(Disposables).toDynamicValue((ctx) => ({
    dispose: async () => {
      if (ctx.get<StoreParts>(StoreParts).shared) ctx.get(OrphanedDeployments).stop();
      await ctx.get<Disposables>(DokkuHostDisposable).dispose().catch(() => undefined);
      await ctx.get<StoreParts>(StoreParts).close();
      ctx.get<AuditLog>(AuditLog).close();
    },
  }));
  return container;
}

/**
 * The HTTP server's parts from configuration: bearer authentication before every route (not health), the MCP endpoints
 * (Streamable HTTP and legacy SSE) over one session table and one event store, with the per-tenant session cap and
 * the rate limit answered in HTTP, GET /metrics, the SSE log stream (GET /apps/{name}/logs/stream), refusals through
 * the Sanitizer. Every route is behind the bearer middleware.
 */
export function httpServeOptions(container: Container, config: AppConfig, readiness: () => Promise<Readiness>): ServeHttpOptions {
  const logger = container.get<Logger>(Logger);
  const sanitizer = container.get(Sanitizer);
  const refuse = jsonRpcRefusal((text) => sanitizer.redact(text));
  const transport = config.transport;
  const sessions = new HttpSessionTable({ maxSessions: transport.maxSessions, idleMs: transport.sessionIdleMinutes * 60_000 }, logger);
  const events = new BoundedEventStore(transport.eventStore);
  const authenticate = container.get(AuthenticateCaller);
  const readMetrics = container.get(ReadMetrics);
  const mcp = {
    factory: container.get(McpServerFactory),
    sessions,
    callerFor: callerForRequest,
    admission: container.get(SessionAdmission),
    budget: new HttpRequestBudget(container.get(RequestBudget), container.get(ToolRegistrar)),
    refuse,
    logger,
  };
  const lifecycle = container.get(ServerLifecycle);
  const subscribeLogs = container.get(SubscribeRuntimeLogs);
  const appSecrets = container.get(AppSecrets);
  return {
    host: transport.host,
    port: transport.port,
    portGiven: transport.portGiven,
    allowedHosts: transport.allowedHosts,
    allowedOrigins: transport.allowedOrigins,
    maxBodyBytes: transport.maxBodyKb * 1024,
    routes: [
      ...mcpHttpRoutes(mcp, events),
      metricsRoute({ read: (request) => readMetrics.execute(callerForRequest(request, 'metrics', 'http')), refuse }),
      logStreamRoute({
        // Each stream is a session of its own for the limits (logs.runtime.max_streams_per_session), its tenant's too.
        subscribe: (request, input) => subscribeLogs.execute(callerForRequest(request, `log-stream-${randomUUID()}`, 'log-stream'), input),
        redact: (appName, text) => appSecrets.redact(appName, text),
        refuse,
        heartbeatMs: config.logs.runtime.sseHeartbeatSeconds * 1000,
        onShutdown: (listener) => lifecycle.onStopping((notice) => listener(notice.why)),
      }),
    ],
    beforeRoutes: [bearerAuth({ authenticate: (authorization) => authenticate.execute({ authorization }), required: authenticate.required, refuse })],
    readiness,
    refuse,
    logger,
    closeSessions: () => sessions.closeAll(),
    stopping: () => (lifecycle.stopping ? lifecycle.why : undefined),
  };
}
