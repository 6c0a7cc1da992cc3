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

/** The header a client sends when tokens are configured, with the token in the shell variable TOKEN. */
const AUTH_HEADER = `-H "Authorization: Bearer $TOKEN"`;

/**
 * The commands that try the server at `url`; the README shows the same ones. With tokens configured, curl sends the
 * token from $TOKEN; the Inspector CLI (0.15.0, the one for Node 20) cannot send a header, so there is none then.
 */
export function tryItCommands(url: string, tokens = false): { inspector?: string; curl: string } {
  const curl = `curl -si ${url} -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'${tokens ? ` ${AUTH_HEADER}` : ''} -d '${INITIALIZE_BODY}'`;
  return tokens ? { curl } : { inspector: `npx -y ${INSPECTOR} --cli ${url} --transport http --method tools/list`, curl };
}

/** What the start-up banner says in HTTP mode: where to connect, how (with a bearer token when tokens are configured), and how to try it. */
export function httpBannerLines(http: HttpHandle, tokens = false): string[] {
  const sse = http.url.replace(/\/mcp$/, '/sse');
  const { inspector, curl } = tryItCommands(http.url, tokens);
  const headers = tokens ? ',"headers":{"Authorization":"Bearer <token>"}' : '';
  return [
    `Speaking MCP over HTTP at ${http.url} (Streamable HTTP; legacy SSE clients: ${sse}).`,
    ...(http.busyDefault === undefined ? [] : [`Port ${http.busyDefault} was busy, so this is port ${http.port}; give --port N to insist on one.`]),
    tokens
      ? 'Every request needs "Authorization: Bearer <token>" (auth.tokens); /healthz and /readyz are open; GET /metrics needs an admin token.'
      : 'No auth.tokens configured: no authentication, so the server listens on loopback only; GET /metrics is open.',
    `Client config: {"type":"http","url":"${http.url}"${headers}}`,
    ...(inspector ? [`Try it: ${inspector}`, `    or: ${curl}`] : [`Try it (TOKEN=<token>): ${curl}`]),
  ];
}
