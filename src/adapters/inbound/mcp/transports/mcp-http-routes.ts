import type { ServerResponse } from 'node:http';
import type { BoundedEventStore } from './bounded-event-store.js';
import type { HttpRequest, McpHttpDeps } from './http-session-support.js';
import { LEGACY_MESSAGES_PATH, LegacySseEndpoint } from './legacy-sse-endpoint.js';
import { StreamableHttpEndpoint } from './streamable-http-endpoint.js';

/** An MCP endpoint for the HTTP app (http/http-app.ts's HttpRoute, without express types on this side). */
export interface McpHttpRoute {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly handle: (req: HttpRequest, res: ServerResponse) => Promise<void>;
}

/** Streamable HTTP on /mcp, and the legacy HTTP+SSE transport on /sse and /messages, over one session table. */
export function mcpHttpRoutes(deps: McpHttpDeps, events: BoundedEventStore): McpHttpRoute[] {
  const streamable = new StreamableHttpEndpoint(deps, events);
  const legacy = new LegacySseEndpoint(deps);
  return [
    { method: 'post', path: '/mcp', handle: streamable.post },
    { method: 'get', path: '/mcp', handle: streamable.get },
    { method: 'delete', path: '/mcp', handle: streamable.delete },
    { method: 'get', path: '/sse', handle: legacy.stream },
    { method: 'post', path: LEGACY_MESSAGES_PATH, handle: legacy.message },
  ];
}
