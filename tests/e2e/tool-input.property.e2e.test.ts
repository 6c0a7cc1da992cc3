/**
 * Random JSON to every tool (fast-check, bounded), through the SDK's real Client over stdio to the BUILT server on the
 * simulated host (`--toolsets all`): each call answers within a few seconds with a result or a tool error whose text
 * carries no stack trace or file path; the server never crashes, never logs an unhandled failure, and still answers
 * afterwards. Arguments mix the tool's own field names (from tools/list) with wrong types, huge and negative numbers,
 * long and hostile strings, nesting and unknown fields.
 */
import { resolve } from 'node:path';
import fc from 'fast-check';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { alive, MAIN, requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { textOf } from './mcp-flows.js';

const RUNS_PER_TOOL = 20;
/** "Within a few seconds": the client gives up on a call after this long, which fails the property. */
const CALL_TIMEOUT_MS = 5_000;
/** A stack frame, or an absolute path into the server's own files. */
const LEAK = /\n\s+at \S|\(\/[^)]*\.(?:js|ts):\d+|\/(?:dist|src|node_modules)\/\S+\.(?:js|ts)\b/;

let client: Client;
let transport: StdioClientTransport;
let stderr = '';
let tools: Tool[] = [];

beforeAll(async () => {
  requireBuild();
  const fastPolling = resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml');
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN, '--sandbox', '--config', fastPolling, '--toolsets', 'all'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOKKU_MCP_SANDBOX_DEPLOY_STEP_MS: '20', DOKKU_MCP_LOG_LEVEL: 'info' },
    stderr: 'pipe',
    cwd: ROOT,
  });
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  client = new Client({ name: 'e2e-fuzz', version: '1.0.0' });
  await client.connect(transport);
  tools = (await client.listTools()).tools;
});
afterAll(async () => client?.close());

const hostileString = fc.oneof(
  fc.constantFrom('node-js-app', 'python-app', 'web', 'main', 'https://github.com/heroku/node-js-getting-started.git', 'example.com', 'DATABASE_URL',
    '', ' ', '-n', '--force', "'; rm -rf / #", '$(id)', '../../etc/passwd', 'dokku://app/node-js-app/logs', '\u0000', '\u202e', '🚀', 'NaN'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 1, 2 ** 31, 2 ** 53, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, 1e-300),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('array'), tie('object')),
  array: fc.array(tie('any'), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 8 }), tie('any'), { maxKeys: 4 }),
})).any;

/** Values a well-meaning agent would send, so that calls also get past validation and into the use cases. */
const plausibleString = fc.oneof(
  fc.constantFrom('node-js-app', 'python-app', 'web', 'worker', 'main', 'https://github.com/heroku/node-js-getting-started.git', 'nginx:1.27',
    'www.example.com', 'DATABASE_URL', 'NODE_ENV', 'production', 'dep_01J0000000000000000000000'),
  fc.stringMatching(/^fuzz-[a-z0-9]{1,8}$/),
);
type Schema = { type?: string | string[]; enum?: unknown[]; items?: Schema; properties?: Record<string, Schema> };

/** A value for a field of this JSON schema: mostly of the right shape, sometimes anything at all. */
function valueFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  let fitting: fc.Arbitrary<unknown>;
  if (schema?.enum?.length) fitting = fc.constantFrom(...schema.enum);
  else if (type === 'string') fitting = fc.oneof({ weight: 3, arbitrary: plausibleString }, { weight: 1, arbitrary: hostileString });
  else if (type === 'number' || type === 'integer') fitting = fc.oneof({ weight: 3, arbitrary: fc.nat(200) }, { weight: 1, arbitrary: hostileNumber });
  else if (type === 'boolean') fitting = fc.boolean();
  else if (type === 'array') fitting = fc.array(valueFor(schema?.items), { maxLength: 4 });
  else if (type === 'object') fitting = fc.dictionary(fc.constantFrom('NODE_ENV', 'FUZZ_FLAG', 'API_TOKEN', 'lower', ''), fc.oneof(plausibleString, hostileString), { maxKeys: 3 });
  else fitting = value;
  return fc.oneof({ weight: 4, arbitrary: fitting }, { weight: 1, arbitrary: value });
}

/** Arguments for one tool: some of its own fields, now and then unknown ones or a deeply nested value. */
function argumentsFor(tool: Tool): fc.Arbitrary<Record<string, unknown>> {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, Schema>;
  const fields = Object.keys(properties);
  const own = fields.length ? fc.subarray(fields).chain((picked) => fc.tuple(...picked.map((f) => valueFor(properties[f]).map((v) => [f, v] as const)))) : fc.constant([]);
  const deep = fc.integer({ min: 50, max: 3000 }).map((depth) => {
    let nested: unknown = 'bottom';
    for (let i = 0; i < depth; i++) nested = { a: nested };
    return nested;
  });
  const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  return fc
    .record({ own, extra: rarely(fc.dictionary(fc.string({ maxLength: 12 }), value, { minKeys: 1, maxKeys: 2 })), nest: rarely(deep) })
    .map(({ own: pairs, extra, nest }) => ({ ...extra, ...Object.fromEntries(pairs), ...(nest === undefined ? {} : { [fields[0] ?? 'deep']: nest }) }));
}

const shortFollow = (seconds: unknown): unknown =>
  seconds === undefined || (typeof seconds === 'number' && seconds > 2 && seconds <= 50) ? 2 : seconds;

/** A result or a tool error, never a hang, a protocol failure or a leak. */
async function callOnce(tool: Tool, generated: Record<string, unknown>): Promise<void> {
  let result: CallToolResult;
  // follow_runtime_logs runs for the `seconds` it is given (default 15): a valid or missing one is kept within the
  // deadline (at most 2 s); any other value stays as generated.
  const args = tool.name === 'follow_runtime_logs' ? { ...generated, seconds: shortFollow(generated.seconds) } : generated;
  try {
    result = (await client.callTool({ name: tool.name, arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS })) as CallToolResult;
  } catch (error) {
    // Only a JSON-RPC refusal of the params themselves is acceptable instead of a tool error; a timeout is not.
    expect(error).toBeInstanceOf(McpError);
    expect({ tool: tool.name, code: (error as McpError).code }).toEqual({ tool: tool.name, code: -32602 });
    expect((error as McpError).message).not.toMatch(LEAK);
    return;
  }
  const text = textOf(result);
  expect(text).not.toMatch(LEAK);
  if (result.isError) expect({ tool: tool.name, text: text.trim().length > 0 }).toEqual({ tool: tool.name, text: true });
  else if (tool.outputSchema) expect(result.structuredContent).toBeDefined();
}

describe('every tool under random JSON arguments (stdio, sandbox)', () => {
  it('answers each call with a result or a tool error within a few seconds, and stays up', async () => {
    expect(tools.length).toBeGreaterThanOrEqual(25);
    for (const tool of tools) {
      await fc.assert(fc.asyncProperty(argumentsFor(tool), (args) => callOnce(tool, args)), { numRuns: RUNS_PER_TOOL, endOnFailure: true });
    }
    expect(alive(transport.pid!)).toBe(true);
    expect(await client.ping()).toEqual({});
    const listed = (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;
    expect(listed.isError).toBeFalsy();
    expect(stderr).not.toMatch(/uncaught exception|unhandled rejection/i);
  });
});
