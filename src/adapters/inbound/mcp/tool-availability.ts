import type { McpServerOptions } from './mcp-options.js';
import type { McpTool } from './tool-definition.js';

type Options = Pick<McpServerOptions, 'readOnly' | 'toolsets'>;

/** Why this server does not offer a tool, or undefined when it does: read-only mode, or a toolset not enabled. */
export function unavailability(tool: McpTool, options: Options): 'read-only' | 'toolset' | undefined {
  if (!options.toolsets.includes(tool.toolset)) return 'toolset';
  if (options.readOnly && tool.kind !== 'read') return 'read-only';
  return undefined;
}

/**
 * The answer to a call of a tool this server knows but does not offer: why, that nothing ran, and what the agent can
 * call instead (the offered tools of the same group, or all offered ones) — not the SDK's "Tool not found".
 */
export function refusalFor(tool: McpTool, offered: readonly McpTool[], options: Options): string {
  const sameGroup = offered.filter((other) => other.toolset === tool.toolset).map((other) => other.name);
  const instead = sameGroup.length ? sameGroup : offered.map((other) => other.name);
  const insteadText = instead.length ? ` It can: ${instead.join(', ')}.` : '';
  if (unavailability(tool, options) === 'read-only') {
    return (
      `${tool.name} is not available: this server is in read-only mode (security.read_only), so it offers only tools that read; nothing was changed.` +
      `${insteadText} To make this change, the user must do it another way or ask the operator for a server that is not read-only.`
    );
  }
  return (
    `${tool.name} is not available: it belongs to the "${tool.toolset}" toolset, which this server does not enable (tools.toolsets: ${options.toolsets.join(', ')}); nothing was run.` +
    `${insteadText} The operator can enable it with tools.toolsets or --toolsets ${[...options.toolsets, tool.toolset].join(',')}.`
  );
}
