import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { inject, injectable, multiInject } from 'inversify';
import { z, type ZodRawShape } from 'zod';
import { AppSecrets } from '../../../application/config/app-secrets.js';
import { isDomainError, type DomainError } from '../../../domain/domain-errors.js';
import { Logger } from '../../../ports/logger.port.js';
import { confirmDestructive, confirmNameShape } from './confirm-destructive.js';
import { describeDomainError } from './error-mapper.js';
import { McpServerOptions } from './mcp-options.js';
import { errorResult, toCallToolResult } from './results.js';
import { checkArguments } from './tool-arguments.js';
import { refusalFor, unavailability } from './tool-availability.js';
import type { McpTool as McpToolType } from './tool-definition.js';
import { McpTool } from './tool-definition.js';
import { annotationsFor, toolListing } from './tool-listing.js';

// The SDK checks nothing itself: every argument check is ours (checkArguments), so that its text names the tool's
// own arguments. The SDK still checks every structured result against the tool's output schema.
const ANY_ARGUMENTS = z.object({}).passthrough();

/**
 * Registers every bound McpTool on a session's server: the offered ones (allowed by read-only mode and the enabled
 * toolsets) are listed; the others are not listed, yet a call to one is answered with why and what to call instead.
 */
@injectable()
export class ToolRegistrar {
  constructor(
    @multiInject(McpTool) private readonly tools: McpToolType[],
    @inject(McpServerOptions) private readonly options: McpServerOptions,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** The tools this server offers: those of enabled toolsets, and only the read ones in read-only mode. */
  get offered(): McpToolType[] {
    return this.tools.filter((tool) => unavailability(tool, this.options) === undefined);
  }

  register(server: McpServer): void {
    const offered = this.offered;
    for (const tool of this.tools) {
      if (offered.includes(tool)) this.registerOne(server, tool);
      else this.registerRefusal(server, tool, refusalFor(tool, offered, this.options));
    }
    // Our own listing (see tool-listing.ts): the offered tools only, with their real input schemas.
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: offered.map((tool) => toolListing(tool, this.inputShape(tool))),
    }));
  }

  private inputShape(tool: McpToolType): ZodRawShape {
    return tool.kind === 'destructive' ? { ...tool.inputSchema, ...confirmNameShape } : tool.inputSchema;
  }

  private registerRefusal(server: McpServer, tool: McpToolType, refusal: string): void {
    server.registerTool(tool.name, { title: tool.title, inputSchema: ANY_ARGUMENTS }, async () => errorResult(refusal));
  }

  private registerOne(server: McpServer, tool: McpToolType): void {
    const destructive = tool.kind === 'destructive';
    if (destructive && !tool.confirmation) throw new Error(`destructive tool ${tool.name} must define confirmation()`);
    const shape = this.inputShape(tool);
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: ANY_ARGUMENTS, outputSchema: tool.outputSchema, annotations: annotationsFor(tool) },
      async (given: Record<string, unknown>, extra): Promise<CallToolResult> => {
        try {
          const checked = checkArguments(tool.name, shape, given);
          if (!checked.ok) return errorResult(await this.secrets.redact(undefined, checked.message));
          const args = checked.args;
          if (tool.kind !== 'read') this.logger.info('tool call', { tool: tool.name, app: args.app_name });
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
            return toCallToolResult(await tool.handle(rest, { signal: extra.signal }));
          }
          return toCallToolResult(await tool.handle(args, { signal: extra.signal }));
        } catch (error) {
          return this.failure(tool.name, error, given.app_name);
        }
      },
    );
  }

  /**
   * A domain error tells the client what to do, redacted of the app's own config values too when the call names an
   * app (Dokku's messages may echo them); anything else is ours: logged in full, answered generically.
   */
  private async failure(toolName: string, error: unknown, appName: unknown): Promise<CallToolResult> {
    if (isDomainError(error)) return errorResult(await this.secrets.redact(aboutApp(error) ? appName : undefined, describeDomainError(error)));
    const requestId = randomUUID().slice(0, 8);
    this.logger.error('tool failed unexpectedly', { tool: toolName, requestId, error });
    return errorResult(`Internal error (request ${requestId}); the server log has details.`);
  }
}

/** Errors that may carry host output; the others are our own words (and a missing app has no config to read). */
const aboutApp = (error: DomainError): boolean => error.code !== 'APP_NOT_FOUND' && error.code !== 'INVALID_ARGUMENT';
