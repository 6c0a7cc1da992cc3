import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** Multi-binding token: every prompt class registers itself on a session's server. */
export const McpPrompt = Symbol('McpPrompt');
export interface McpPrompt {
  register(server: McpServer): void;
}
