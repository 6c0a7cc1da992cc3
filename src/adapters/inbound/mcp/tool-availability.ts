import type { Caller } from '../../../domain/caller.js';
import { grants } from '../../../domain/tenancy.js';
import type { McpServerOptions } from './mcp-options.js';
import type { McpTool } from './tool-definition.js';

type Options = Pick<McpServerOptions, 'readOnly' | 'toolsets'>;
export type Unavailability = 'toolset' | 'read-only' | 'admin' | 'read-scope';

/**
 * Why this session is not offered a tool, or undefined when it is: a toolset not enabled, read-only mode, a host-wide
 * tool for a caller without the admin scope, or a tool with side effects for a caller with the read scope only.
 */
export function unavailability(tool: McpTool, options: Options, caller: Caller): Unavailability | undefined {
  if (!options.toolsets.includes(tool.toolset)) return 'toolset';
  if (options.readOnly && tool.kind !== 'read') return 'read-only';
  if (tool.hostWide && !grants(caller, 'admin')) return 'admin';
  if (tool.kind !== 'read' && !grants(caller, 'write')) return 'read-scope';
  return undefined;
}

/**
 * The answer to a call of a tool this server knows but does not offer to this session: why, that nothing ran, and what
 * the agent can call instead (the offered tools of the same group, or all offered ones) — not the SDK's "Tool not found".
 */
export function refusalFor(tool: McpTool, offered: readonly McpTool[], options: Options, caller: Caller): string {
  const sameGroup = offered.filter((other) => other.toolset === tool.toolset).map((other) => other.name);
  const instead = sameGroup.length ? sameGroup : offered.map((other) => other.name);
  const insteadText = instead.length ? ` It can: ${instead.join(', ')}.` : '';
  const why = unavailability(tool, options, caller);
  if (why === 'read-only' || why === 'read-scope') {
    const mode = why === 'read-only' ? 'this server is in read-only mode (security.read_only)' : "this session's token has the read scope only";
    const other = why === 'read-only' ? 'ask the operator for a server that is not read-only' : 'ask the operator for a token with the write scope';
    return (
      `${tool.name} is not available: ${mode}, so it offers only tools that read; nothing was changed.` +
      `${insteadText} To make this change, the user must do it another way or ${other}.`
    );
  }
  if (why === 'admin') {
    return (
      `${tool.name} is not available: it concerns the whole Dokku host, which needs the admin scope (this session has: ${caller.scopes.join(', ')}); nothing was run.` +
      `${insteadText} Host-wide settings are the operator's to change.`
    );
  }
  return (
    `${tool.name} is not available: it belongs to the "${tool.toolset}" toolset, which this server does not enable (tools.toolsets: ${options.toolsets.join(', ')}); nothing was run.` +
    `${insteadText} The operator can enable it with tools.toolsets or --toolsets ${[...options.toolsets, tool.toolset].join(',')}.`
  );
}
