import type { Toolset } from '../../../config/toolsets.js';

/** Per-process settings of the MCP adapter; the container binds them from configuration. */
export const McpServerOptions = Symbol('McpServerOptions');
export interface McpServerOptions {
  /** Server name reported to clients in `initialize`. */
  name: string;
  version: string;
  /** The Dokku host is the built-in sandbox: nothing real is affected. Said plainly to the agent. */
  simulated: boolean;
  /** Human-readable host, e.g. "dokku@example.com:22" or "sandbox (simulated Dokku host)". */
  hostLabel: string;
  /** Only `read` tools are offered. */
  readOnly: boolean;
  /** Only tools of these toolsets are offered (config tools.toolsets, `all` resolved). */
  toolsets: readonly Toolset[];
  /** Destructive tools need a human's confirmation through MCP elicitation; clients without it are refused. */
  requireElicitation: boolean;
}
