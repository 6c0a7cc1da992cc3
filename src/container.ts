import 'reflect-metadata';
import { Container, ContainerModule, type Newable } from 'inversify';
import { mcpModule } from './adapters/inbound/mcp/mcp.module.js';
import { McpServerOptions } from './adapters/inbound/mcp/mcp-options.js';
import { McpServerFactory } from './adapters/inbound/mcp/server-factory.js';
import { BoundedEventStore } from './adapters/inbound/mcp/transports/bounded-event-store.js';
import { HttpSessionTable } from './adapters/inbound/mcp/transports/http-session-table.js';
import { mcpHttpRoutes } from './adapters/inbound/mcp/transports/mcp-http-routes.js';
import type { Readiness } from './adapters/inbound/http/health.js';
import { jsonRpcRefusal } from './adapters/inbound/http/json-rpc-refusal.js';
import { callerForRequest } from './adapters/inbound/http/request-caller.js';
import type { ServeHttpOptions } from './adapters/inbound/http/serve-http.js';
import { InMemoryDeploymentStore } from './adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { SandboxDokkuHost } from './adapters/outbound/sandbox/sandbox-dokku-host.js';
import { DEFAULT_SANDBOX_SEED, WORKER_APP_SEED } from './adapters/outbound/sandbox/sandbox-seed.js';
import { SandboxDokkuApps } from './adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from './adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuDeploys } from './adapters/outbound/sandbox/sandbox-dokku-deploys.adapter.js';
import { SandboxDokkuDomains } from './adapters/outbound/sandbox/sandbox-dokku-domains.adapter.js';
import { SandboxDokkuLogs } from './adapters/outbound/sandbox/sandbox-dokku-logs.adapter.js';
import { SandboxDokkuServer } from './adapters/outbound/sandbox/sandbox-dokku-server.adapter.js';
import { createSshDokkuAdapters } from './adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { SortableIdGenerator } from './adapters/outbound/system/sortable-id-generator.adapter.js';
import { SystemClock } from './adapters/outbound/system/system-clock.adapter.js';
import { createWinstonLogger, WinstonLogger } from './adapters/outbound/system/winston-logger.js';
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
import { DeploymentRunner } from './application/deployments/deployment-runner.js';
import { GetBuildLogs } from './application/deployments/get-build-logs.use-case.js';
import { GetDeployment } from './application/deployments/get-deployment.use-case.js';
import { ListDeployments } from './application/deployments/list-deployments.use-case.js';
import { RebuildApp } from './application/deployments/rebuild-app.use-case.js';
import { RestartApp } from './application/deployments/restart-app.use-case.js';
import { ScaleApp } from './application/deployments/scale-app.use-case.js';
import { StartApp } from './application/deployments/start-app.use-case.js';
import { WatchDeployment } from './application/deployments/watch-deployment.use-case.js';
import { AddAppDomain } from './application/domains/add-app-domain.use-case.js';
import { AddGlobalDomain } from './application/domains/add-global-domain.use-case.js';
import { GetAppDomains } from './application/domains/get-app-domains.use-case.js';
import { ListGlobalDomains } from './application/domains/list-global-domains.use-case.js';
import { RemoveAppDomain } from './application/domains/remove-app-domain.use-case.js';
import { GetFailedDeployLogs } from './application/logs/get-failed-deploy-logs.use-case.js';
import { GetRuntimeLogs } from './application/logs/get-runtime-logs.use-case.js';
import { CheckHost } from './application/server/check-host.use-case.js';
import { GetServerInfo } from './application/server/get-server-info.use-case.js';
import type { AppConfig } from './config/app-config.js';
import { Sanitizer } from './domain/sanitizer.js';
import { Clock } from './ports/clock.port.js';
import { DeploymentStore } from './ports/deployment-store.port.js';
import { DokkuApps } from './ports/dokku-apps.port.js';
import { DokkuConfig } from './ports/dokku-config.port.js';
import { DokkuDeploys } from './ports/dokku-deploys.port.js';
import { DokkuDomains } from './ports/dokku-domains.port.js';
import { DokkuLogs } from './ports/dokku-logs.port.js';
import { DokkuServer } from './ports/dokku-server.port.js';
import { IdGenerator } from './ports/id-generator.port.js';
import { Logger } from './ports/logger.port.js';
import { Limits } from './ports/settings.port.js';

/** Every use case (and the application services they share), bound to itself as a singleton; they take only ports. */
const USE_CASES = [
  AppSecrets,
  ListApps, GetAppStatus, CreateApp, DestroyApp, StopApp,
  DeploymentRunner, DeployApp, DeployImage, RestartApp, StartApp, RebuildApp, ScaleApp,
  GetDeployment, ListDeployments, GetBuildLogs, CancelDeployment, WatchDeployment,
  GetRuntimeLogs, GetFailedDeployLogs, GetAppConfig, ConfigureApp, UnsetAppConfig,
  GetAppDomains, AddAppDomain, RemoveAppDomain, ListGlobalDomains, AddGlobalDomain, GetServerInfo, CheckHost,
] as const;

export interface ContainerOverrides {
  /** Where logs go (stderr by default). */
  readonly logStream?: NodeJS.WritableStream;
  /** Use this sandbox host instead of a new one (tests). */
  readonly sandboxHost?: SandboxDokkuHost;
}

/** Resources the process must release on shutdown (the SSH connection). */
export interface Disposables {
  dispose(): Promise<void>;
}
export const Disposables = Symbol('Disposables');

const PACKAGE_NAME = 'dokku-mcp';

function coreModule(config: AppConfig, version: string, overrides: ContainerOverrides): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const sanitizer = new Sanitizer();
    bind(Sanitizer).toConstantValue(sanitizer);
    bind(Logger).toConstantValue(
      new WinstonLogger(createWinstonLogger(config.log.level, overrides.logStream), (s) => sanitizer.redact(s)),
    );
    const clock = new SystemClock();
    bind(Clock).toConstantValue(clock);
    bind(IdGenerator).toConstantValue(new SortableIdGenerator());
    const limits: Limits = {
      runtimeDefaultLines: config.logs.runtime.defaultLines,
      runtimeMaxLines: config.logs.runtime.maxLines,
      streamBufferSize: config.logs.runtime.streamBufferSize,
      buildLogMaxBytes: Math.floor(config.logs.build.maxSizeMb * 1024 * 1024),
      buildRetentionMs: config.logs.build.retentionMinutes * 60_000,
      maxDeployments: config.logs.build.maxDeployments,
    };
    bind(Limits).toConstantValue(limits);
    bind(DeploymentStore).toConstantValue(
      new InMemoryDeploymentStore(clock, { retentionMs: limits.buildRetentionMs, maxDeployments: limits.maxDeployments, sweepIntervalMs: 30_000 }),
    );
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
  });
}

/** The one place that decides which adapter serves which Dokku port: the simulated host, or a real one over SSH. */
function dokkuModule(config: AppConfig, overrides: ContainerOverrides): ContainerModule {
  return new ContainerModule(({ bind }) => {
    if (config.dokku.sandbox) {
      const host = overrides.sandboxHost ??
        new SandboxDokkuHost({ deployStepMs: config.sandbox.deployStepMs, seed: [...DEFAULT_SANDBOX_SEED, WORKER_APP_SEED] });
      bind(DokkuApps).toConstantValue(new SandboxDokkuApps(host));
      bind(DokkuDeploys).toConstantValue(new SandboxDokkuDeploys(host));
      bind(DokkuLogs).toConstantValue(new SandboxDokkuLogs(host));
      bind(DokkuConfig).toConstantValue(new SandboxDokkuConfig(host));
      bind(DokkuDomains).toConstantValue(new SandboxDokkuDomains(host));
      bind(DokkuServer).toConstantValue(new SandboxDokkuServer(host));
      bind<Disposables>(Disposables).toConstantValue({ dispose: async () => host.dispose() });
      return;
    }
    bind(DokkuSsh).toDynamicValue((ctx) => {
      const host = config.ssh.host as string; // loadConfig guarantees a host when not in sandbox mode
      return createSshDokkuAdapters({ ...config.ssh, host }, { sanitizer: ctx.get(Sanitizer), logger: ctx.get<Logger>(Logger) });
    }).inSingletonScope();
    type Ssh = ReturnType<typeof createSshDokkuAdapters>;
    bind(DokkuApps).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).apps);
    bind(DokkuDeploys).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).deploys);
    bind(DokkuLogs).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).logs);
    bind(DokkuConfig).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).config);
    bind(DokkuDomains).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).domains);
    bind(DokkuServer).toDynamicValue((ctx) => ctx.get<Ssh>(DokkuSsh).server);
    bind<Disposables>(Disposables).toDynamicValue((ctx) => ({ dispose: () => ctx.get<Ssh>(DokkuSsh).connection.close() }));
  });
}
const DokkuSsh = Symbol('DokkuSsh');

export function buildContainer(config: AppConfig, version: string, overrides: ContainerOverrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(coreModule(config, version, overrides), dokkuModule(config, overrides), mcpModule);
  return container;
}

/**
 * The HTTP server's parts from configuration: the MCP endpoints (Streamable HTTP and legacy SSE) over one session table
 * and one event store, refusals through the Sanitizer, and the caller of each session from its request. More routes
 * (a log stream) join `routes`; authentication joins `beforeRoutes`.
 */
export function httpServeOptions(container: Container, config: AppConfig, readiness: () => Promise<Readiness>): ServeHttpOptions {
  const logger = container.get<Logger>(Logger);
  const sanitizer = container.get(Sanitizer);
  const refuse = jsonRpcRefusal((text) => sanitizer.redact(text));
  const transport = config.transport;
  const sessions = new HttpSessionTable({ maxSessions: transport.maxSessions, idleMs: transport.sessionIdleMinutes * 60_000 }, logger);
  const events = new BoundedEventStore(transport.eventStore);
  const factory = container.get(McpServerFactory);
  return {
    host: transport.host,
    port: transport.port,
    portGiven: transport.portGiven,
    allowedHosts: transport.allowedHosts,
    allowedOrigins: transport.allowedOrigins,
    maxBodyBytes: transport.maxBodyKb * 1024,
    routes: mcpHttpRoutes({ factory, sessions, callerFor: callerForRequest, refuse, logger }, events),
    beforeRoutes: [],
    readiness,
    refuse,
    logger,
    closeSessions: () => sessions.closeAll(),
  };
}
