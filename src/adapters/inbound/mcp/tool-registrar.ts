import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { inject, injectable, multiInject } from 'inversify';
import type { ZodRawShape } from 'zod';
import { AppSecrets } from '../../../application/config/app-secrets.js';
import { isDomainError, type DomainError } from '../../../domain/domain-errors.js';
import { Logger } from '../../../ports/logger.port.js';
import { CONFIRMATION_NOTE, confirmDestructive, confirmNameShape } from './confirm-destructive.js';
import { describeDomainError } from './error-mapper.js';
import { McpServerOptions } from './mcp-options.js';
import { errorResult, toCallToolResult } from './results.js';
import { McpTool } from './tool-definition.js';

/** The hints follow from the kind, so no tool can claim to be read-only while changing the host. */
export function annotationsFor(tool: Pick<McpTool, 'kind' | 'idempotent' | 'title'>): ToolAnnotations {
  return {
    title: tool.title,
    readOnlyHint: tool.kind === 'read',
    destructiveHint: tool.kind === 'destructive',
    idempotentHint: tool.idempotent,
    openWorldHint: true, // every tool talks to a Dokku host outside this process
  };
}

/** Registers every bound McpTool on a session's server, with confirmation for destructive ones and error mapping. */
@injectable()
export class ToolRegistrar {
  constructor(
    @multiInject(McpTool) private readonly tools: McpTool[],
    @inject(McpServerOptions) private readonly options: McpServerOptions,
    @inject(AppSecrets) private readonly secrets: AppSecrets,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** The tools this server offers: all of them, or only the read ones in read-only mode. */
  get offered(): McpTool[] {
    return this.tools.filter((tool) => !this.options.readOnly || tool.kind === 'read');
  }

  register(server: McpServer): void {
    for (const tool of this.offered) this.registerOne(server, tool);
  }

  private registerOne(server: McpServer, tool: McpTool): void {
    const destructive = tool.kind === 'destructive';
    if (destructive && !tool.confirmation) throw new Error(`destructive tool ${tool.name} must define confirmation()`);
    const inputSchema: ZodRawShape = destructive ? { ...tool.inputSchema, ...confirmNameShape } : tool.inputSchema;
    const description = destructive ? `${tool.description}\n\n${CONFIRMATION_NOTE}` : tool.description;
    server.registerTool(
      tool.name,
      { title: tool.title, description, inputSchema, outputSchema: tool.outputSchema, annotations: annotationsFor(tool) },
      async (args: Record<string, unknown>, extra): Promise<CallToolResult> => {
        try {
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
          return this.failure(tool.name, error, args.app_name);
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
