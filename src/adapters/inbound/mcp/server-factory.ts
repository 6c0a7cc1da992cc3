import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { inject, injectable, multiInject } from 'inversify';
import { randomUUID } from 'node:crypto';
import { unrestrictedCaller, type Caller } from '../../../domain/caller.js';
import { grants } from '../../../domain/tenancy.js';
import { WatchDeployment } from '../../../application/deployments/watch-deployment.use-case.js';
import { ServerLifecycle } from '../../../application/server/server-lifecycle.js';
import { SubscribeRuntimeLogs } from '../../../application/logs/subscribe-runtime-logs.use-case.js';
import { AppSecrets } from '../../../application/config/app-secrets.js';
import { Sanitizer } from '../../../domain/sanitizer.js';
import { Logger } from '../../../ports/logger.port.js';
import { Metrics } from '../../../ports/metrics.port.js';
import { serverInstructions } from './instructions.js';
import { McpServerOptions } from './mcp-options.js';
import { McpPrompt } from './prompts/prompt-support.js';
import { McpResource } from './resources/resource-support.js';
import type { SessionContext } from './session-context.js';
import { announceShutdown } from './shutdown-notices.js';
import { ResourceSubscriptions, SERVER_CAPABILITIES } from './subscriptions.js';
import { ToolRegistrar } from './tool-registrar.js';

/** One MCP session: its server, and the hook that ends it and drops its subscriptions. */
export interface McpSession {
  readonly server: McpServer;
  /** Who the session acts for; every tool call, resource read and subscription of the session is made as it. */
  readonly caller: Caller;
  /** Sends resources/updated for every subscription, so the client re-reads what it may have missed. */
  notifyAllSubscriptions(): void;
  /** Closes the transport (if connected) and removes every subscription watcher. Idempotent. */
  close(): Promise<void>;
}

export interface SessionOptions {
  /** See SessionContext.countRequests (default true: this session applies the rate limit itself). */
  readonly countRequests?: boolean;
}

// Tool arguments are small (a name, a few config vars); a payload with thousands of elements is abuse, not use.
const MAX_TOOL_INPUT_ELEMENTS = 2000;

/**
 * Builds one McpServer per session (stdio has one; HTTP will have one per client) over the shared singletons: tools,
 * resources and prompts are registered from their multi-bindings, so every transport serves the same surface.
 */
@injectable()
export class McpServerFactory {
  constructor(
    @inject(McpServerOptions) private readonly options: McpServerOptions,
    @inject(ToolRegistrar) private readonly tools: ToolRegistrar,
    @multiInject(McpResource) private readonly resources: McpResource[],
    @multiInject(McpPrompt) private readonly prompts: McpPrompt[],
    @inject(WatchDeployment) private readonly watchDeployment: WatchDeployment,
    @inject(SubscribeRuntimeLogs) private readonly subscribeRuntimeLogs: SubscribeRuntimeLogs,
    @inject(Sanitizer) private readonly sanitizer: Sanitizer,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
    @inject(Metrics) private readonly metrics: Metrics,
    @inject(ServerLifecycle) private readonly lifecycle: ServerLifecycle,
  ) {}

  /**
   * A new session acting for `caller` (by default: an unrestricted stdio caller with a fresh session id): it lists and
   * runs what that caller may, and its instructions say so.
   */
  create(caller: Caller = unrestrictedCaller('stdio', randomUUID()), options: SessionOptions = {}): McpSession {
    const offered = this.tools.offeredTo(caller).map((tool) => tool.name);
    const instructionOptions = { ...this.options, readOnly: this.options.readOnly || !grants(caller, 'write') };
    const server = new McpServer(
      { name: this.options.name, version: this.options.version, title: this.options.simulated ? 'Dokku (SIMULATED sandbox)' : 'Dokku' },
      { capabilities: SERVER_CAPABILITIES, instructions: serverInstructions(instructionOptions, offered), maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS },
    );
    const subscriptions = new ResourceSubscriptions(server.server, {
      watchDeployment: this.watchDeployment,
      subscribeRuntimeLogs: this.subscribeRuntimeLogs,
      sanitizer: this.sanitizer,
      redactFor: (appName, text) => this.secrets.redact(appName, text),
      logger: this.logger,
      caller,
    });
    const context: SessionContext = { caller, countRequests: options.countRequests ?? true, liveLogs: subscriptions };
    this.tools.register(server, context);
    for (const resource of this.resources) resource.register(server, context);
    for (const prompt of this.prompts) prompt.register(server);
    subscriptions.install();
    this.metrics.sessionOpened(caller.transport);
    const unannounce = announceShutdown(server, this.lifecycle);
    let counted = true;
    const ended = (): void => {
      unannounce();
      subscriptions.dispose();
      if (counted) this.metrics.sessionClosed(caller.transport);
      counted = false;
    };
    // However the session ends (client gone, transport error, close()), its watchers go with it.
    server.server.onclose = ended;

    let closed = false;
    return {
      server,
      caller,
      notifyAllSubscriptions: () => subscriptions.notifyAll(),
      close: async () => {
        if (closed) return;
        closed = true;
        ended();
        await server.close();
      },
    };
  }
}
