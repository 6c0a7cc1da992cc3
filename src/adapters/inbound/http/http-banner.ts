import type { HttpHandle } from './serve-http.js';

/** The Inspector that runs on Node 20 (later ones need Node 22); pinned as a devDependency and tested with. */
export const INSPECTOR = '@modelcontextprotocol/inspector@0.15.0';

/** An initialize request as a shell word: the smallest thing that shows the server answering (and its session id). */
const INITIALIZE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
});

/** The commands that try the server at `url`; the README shows the same ones. */
export function tryItCommands(url: string): { inspector: string; curl: string } {
  return {
    inspector: `npx -y ${INSPECTOR} --cli ${url} --transport http --method tools/list`,
    curl: `curl -si ${url} -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' -d '${INITIALIZE_BODY}'`,
  };
}

/** What the start-up banner says in HTTP mode: where to connect, and how to try it. */
export function httpBannerLines(http: HttpHandle): string[] {
  const sse = http.url.replace(/\/mcp$/, '/sse');
  const { inspector, curl } = tryItCommands(http.url);
  return [
    `Speaking MCP over HTTP at ${http.url} (Streamable HTTP; legacy SSE clients: ${sse}).`,
    ...(http.busyDefault === undefined ? [] : [`Port ${http.busyDefault} was busy, so this is port ${http.port}; give --port N to insist on one.`]),
    `Client config: {"type":"http","url":"${http.url}"}`,
    `Try it: ${inspector}`,
    `    or: ${curl}`,
  ];
}
