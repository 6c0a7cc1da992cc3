import { randomUUID } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { inject, injectable, multiInject } from 'inversify';
import type { ZodRawShape } from 'zod';
import { isDomainError } from '../../../domain/domain-errors.js';
import { Sanitizer } from '../../../domain/sanitizer.js';
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
    @inject(Sanitizer) private readonly sanitizer: Sanitizer,
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
          return this.failure(tool.name, error);
        }
      },
    );
  }

  /** A domain error tells the client what to do; anything else is ours: logged in full, answered generically. */
  private failure(toolName: string, error: unknown): CallToolResult {
    if (isDomainError(error)) return errorResult(this.sanitizer.redact(describeDomainError(error)));
    const requestId = randomUUID().slice(0, 8);
    this.logger.error('tool failed unexpectedly', { tool: toolName, requestId, error });
    return errorResult(`Internal error (request ${requestId}); the server log has details.`);
  }
}
