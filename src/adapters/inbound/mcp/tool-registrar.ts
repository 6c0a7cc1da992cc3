import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { inject, injectable, multiInject } from 'inversify';
import { z, type ZodRawShape } from 'zod';
import { RequestBudget } from '../../../application/access/request-budget.js';
import { AppSecrets } from '../../../application/config/app-secrets.js';
import { ServerLifecycle } from '../../../application/server/server-lifecycle.js';
import type { Caller } from '../../../domain/caller.js';
import { isDenial } from '../../../domain/access-errors.js';
import { isDomainError, RefusedBeforeHost, ServerShuttingDown, type DomainError } from '../../../domain/domain-errors.js';
import { Logger } from '../../../ports/logger.port.js';
import { CallRecorder, type CallEnd } from './call-recorder.js';
import { confirmDestructive, confirmNameShapeFor } from './confirm-destructive.js';
import { describeRedacted } from './error-mapper.js';
import { McpServerOptions } from './mcp-options.js';
import { errorResult, toCallToolResult } from './results.js';
import type { SessionContext } from './session-context.js';
import { checkArguments } from './tool-arguments.js';
import { refusalFor, unavailability } from './tool-availability.js';
import type { McpTool as McpToolType } from './tool-definition.js';
import { McpTool } from './tool-definition.js';
import { annotationsFor, toolListing } from './tool-listing.js';

// The SDK checks nothing itself: every argument check is ours (checkArguments), so that its text names the tool's
// own arguments. The SDK still checks every structured result against the tool's output schema.
const ANY_ARGUMENTS = z.object({}).passthrough();

/** Tools that only stop work: still run while the server shuts down (a user may well want a deploy canceled then). */
const STOPS_WORK = new Set(['cancel_deployment']);

/**
 * Registers every bound McpTool on a session's server: the ones offered to the session's caller (allowed by read-only
 * mode, the enabled toolsets and the caller's scopes) are listed; the others are not listed, yet a call to one is
 * answered with why and what to call instead. Every call takes from the caller's rate limit first (where the session
 * counts requests) and is recorded (metrics; the audit for tools with side effects).
 */
@injectable()
export class ToolRegistrar {
  constructor(
    @multiInject(McpTool) private readonly tools: McpToolType[],
    @inject(McpServerOptions) private readonly options: McpServerOptions,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
    @inject(RequestBudget) private readonly budget: RequestBudget,
    @inject(CallRecorder) private readonly recorder: CallRecorder,
    @inject(ServerLifecycle) private readonly lifecycle: ServerLifecycle,
  ) {}

  /** The tools offered to `caller`: those of enabled toolsets its scopes allow, and only the read ones in read-only mode. */
  offeredTo(caller: Caller): McpToolType[] {
    return this.tools.filter((tool) => unavailability(tool, this.options, caller) === undefined);
  }

  register(server: McpServer, session: SessionContext): void {
    const offered = this.offeredTo(session.caller);
    for (const tool of this.tools) {
      if (offered.includes(tool)) this.registerOne(server, session, tool);
      else this.registerRefusal(server, session, tool, refusalFor(tool, offered, this.options, session.caller));
    }
    // Our own listing (see tool-listing.ts): the offered tools only, with their real input schemas.
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: offered.map((tool) => toolListing(tool, this.inputShape(tool))),
    }));
  }

  /**
   * For a transport that refuses a tools/call before it reaches the server (HTTP's 429): the call is recorded as
   * refused, as if it had been refused here.
   */
  async refusedBeforeServer(caller: Caller, toolName: string, args: Record<string, unknown>, error: unknown): Promise<void> {
    const tool = this.tools.find((t) => t.name === toolName);
    if (tool) await this.recorder.record(tool, caller, args, Date.now(), { error });
  }

  private inputShape(tool: McpToolType): ZodRawShape {
    return tool.kind === 'destructive' ? { ...tool.inputSchema, ...confirmNameShapeFor(tool.confirmField) } : tool.inputSchema;
  }

  private registerRefusal(server: McpServer, session: SessionContext, tool: McpToolType, refusal: string): void {
    const code = unavailability(tool, this.options, session.caller) === 'toolset' ? 'UNSUPPORTED' : 'ACCESS_DENIED';
    server.registerTool(tool.name, { title: tool.title, inputSchema: ANY_ARGUMENTS }, (given: Record<string, unknown>) =>
      this.recorded(session, tool, given, async () => ({ end: { refused: 'denied', code }, result: errorResult(refusal) })),
    );
  }

  private registerOne(server: McpServer, session: SessionContext, tool: McpToolType): void {
    const destructive = tool.kind === 'destructive';
    if (destructive && !tool.confirmation) throw new Error(`destructive tool ${tool.name} must define confirmation()`);
    const shape = this.inputShape(tool);
    const { caller } = session;
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: ANY_ARGUMENTS, outputSchema: tool.outputSchema, annotations: annotationsFor(tool) },
      (given: Record<string, unknown>, extra) =>
        this.recorded(session, tool, given, async () => {
          // Once stopping, nothing new changes the host; reads (status, logs) still answer until the session closes.
          if (this.lifecycle.stopping && tool.kind !== 'read' && !STOPS_WORK.has(tool.name)) throw new ServerShuttingDown(this.lifecycle.why ?? 'stopping');
          const checked = checkArguments(tool.name, shape, given);
          if (!checked.ok) return { end: { refused: 'error', code: 'INVALID_ARGUMENT' }, result: errorResult(await this.secrets.redact(undefined, checked.message)) };
          const args = checked.args;
          if (tool.kind !== 'read') this.logger.info('tool call', { tool: tool.name, app: args.app_name, tenant: caller.tenant, token: caller.tokenId });
          let run = args;
          if (destructive) {
            const { confirm_name: confirmName, ...rest } = args;
            await confirmDestructive({
              server,
              options: this.options,
              toolName: tool.name,
              action: tool.confirmation!(rest),
              confirmName,
              signal: extra.signal,
              relatedRequestId: extra.requestId,
            });
            run = rest;
          }
          const token = extra._meta?.progressToken;
          const progress =
            token === undefined
              ? undefined
              : (value: number, message: string) =>
                  extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: value, message } });
          const result = toCallToolResult(await tool.handle(run, { signal: extra.signal, caller, progress }));
          return { end: { result }, result };
        }),
    );
  }

  /** Runs one call: the rate limit first, then `call`; whatever happens is answered, recorded, never thrown. */
  private async recorded(
    session: SessionContext,
    tool: McpToolType,
    given: Record<string, unknown>,
    call: () => Promise<{ end: CallEnd; result: CallToolResult }>,
  ): Promise<CallToolResult> {
    const started = Date.now();
    let outcome: { end: CallEnd; result: CallToolResult };
    try {
      if (session.countRequests) await this.budget.admit(session.caller);
      outcome = await call();
    } catch (error) {
      outcome = { end: { error }, result: await this.failure(tool.name, error, given.app_name) };
    }
    await this.recorder.record(tool, session.caller, given, started, outcome.end).catch((error: unknown) => {
      this.logger.error('could not record a tool call', { tool: tool.name, error });
    });
    return outcome.result;
  }

  /**
   * A domain error tells the client what to do, redacted of the app's own config values too when the call reached the
   * app (Dokku's messages may echo them); anything else is ours: logged in full, answered generically.
   */
  private async failure(toolName: string, error: unknown, appName: unknown): Promise<CallToolResult> {
    if (isDomainError(error)) return errorResult(await describeRedacted(error, (text) => this.secrets.redact(aboutApp(error) ? appName : undefined, text)));
    const requestId = randomUUID().slice(0, 8);
    this.logger.error('tool failed unexpectedly', { tool: toolName, requestId, error });
    return errorResult(`Internal error (request ${requestId}); the server log has details.`);
  }
}

/**
 * Errors that may carry host output; the others are our own words (a missing app has no config to read, and a refused
 * call must not reach the host to read one).
 */
const aboutApp = (error: DomainError): boolean =>
  error.code !== 'APP_NOT_FOUND' && error.code !== 'INVALID_ARGUMENT' && error.code !== 'ACCESS_DENIED' && !isDenial(error) &&
  !(error instanceof RefusedBeforeHost);
