import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppName } from '../../../domain/app-name.js';
import { ConfirmationRequired } from '../../../domain/domain-errors.js';
import type { McpServerOptions } from './mcp-options.js';
import type { ConfirmField, DestructiveAction } from './tool-definition.js';

/** Added by the registrar to every destructive tool's input, so no destructive tool can forget it. */
export const confirmNameShape = {
  confirm_name: z
    .string()
    .optional()
    .describe(
      'app_name again, if you cannot ask the user',
    ),
};

/** confirm_name for a tool whose confirmation repeats another argument (service_name, name). */
export const confirmNameShapeFor = (field: ConfirmField = 'app_name') =>
  field === 'app_name' ? confirmNameShape : { confirm_name: z.string().optional().describe(`${field} again, if the client cannot ask the user`) };

// A human may take a while to answer; the SDK's default request timeout (60 s) is too short for that.
const HUMAN_TIMEOUT_MS = 10 * 60_000;

export interface ConfirmRequest {
  readonly server: McpServer;
  readonly options: Pick<McpServerOptions, 'requireElicitation'>;
  readonly toolName: string;
  readonly action: DestructiveAction;
  readonly confirmName: unknown;
  readonly signal: AbortSignal;
  readonly relatedRequestId?: string | number;
}

/** Resolves when the action may proceed; otherwise throws ConfirmationRequired saying why and what to do. */
export async function confirmDestructive(request: ConfirmRequest): Promise<void> {
  const { server, action, toolName } = request;
  // An invalid name fails before anyone is asked anything (a target's value the tool has validated already).
  const { field, value: app } = action.target ?? { field: 'app_name', value: AppName.of(action.appName ?? '').value };
  const canAsk = Boolean(server.server.getClientCapabilities()?.elicitation?.form);

  if (canAsk) {
    let answer;
    try {
      answer = await server.server.elicitInput(
        {
          message: `${action.summary}. Do you want to proceed?`,
          requestedSchema: {
            type: 'object',
            properties: { confirm: { type: 'boolean', title: `Yes, go ahead (${toolName} on "${app}")`, default: false } },
            required: ['confirm'],
          },
        },
        { signal: request.signal, timeout: HUMAN_TIMEOUT_MS, relatedRequestId: request.relatedRequestId },
      );
    } catch {
      throw new ConfirmationRequired(
        `${toolName} was not confirmed: asking the user for confirmation failed; nothing was changed.`,
        'Ask the user directly, then call again.',
      );
    }
    if (answer.action === 'accept' && answer.content?.confirm === true) return;
    throw new ConfirmationRequired(
      `${toolName} on "${app}" was not confirmed by the user (${answer.action === 'accept' ? 'left unchecked' : answer.action}); nothing was changed.`,
      'Do not retry unless the user asks for it.',
    );
  }

  if (request.options.requireElicitation) {
    throw new ConfirmationRequired(
      `${toolName} refused: this server's operator requires a human's confirmation for destructive actions (security.require_elicitation), and this client cannot ask for one (it does not support MCP elicitation); nothing was changed.`,
      'Perform this action from a client that supports elicitation, or ask the operator to do it.',
    );
  }

  const given = request.confirmName;
  if (given === app) return;
  const fix = `Confirm with the user, then call again with confirm_name: "${app}".`;
  if (given === undefined || given === '') {
    throw new ConfirmationRequired(`${action.summary}: this needs confirmation; nothing was changed.`, fix);
  }
  throw new ConfirmationRequired(
    `confirm_name ${JSON.stringify(String(given).slice(0, 80))} does not match ${field} "${app}"; nothing was changed.`,
    fix,
  );
}
