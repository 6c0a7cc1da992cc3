import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type CallToolResult, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { Container } from 'inversify';
import type { AccessConfig } from '../../../../src/config/access-config.js';
import type { Caller } from '../../../../src/domain/caller.js';
import { McpServerFactory, type McpSession } from '../../../../src/adapters/inbound/mcp/server-factory.js';
import { SandboxDokkuHost, type SandboxAppSeed } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { DEFAULT_SANDBOX_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import type { SandboxPluginOptions } from '../../../../src/adapters/outbound/sandbox/sandbox-plugins.js';
import { loadConfig, type AppConfig } from '../../../../src/config/load-config.js';
import { buildContainer } from '../../../../src/container.js';
import { RuntimeLogHub } from '../../../../src/application/logs/runtime-log-hub.js';
import type { Toolset } from '../../../../src/config/toolsets.js';

export interface HarnessOptions {
  readonly readOnly?: boolean;
  /** Toolsets offered (default: the config's default). */
  readonly toolsets?: readonly Toolset[];
  readonly requireElicitation?: boolean;
  readonly maxLines?: number;
  /** Given: the client declares form elicitation and answers with this. */
  readonly elicit?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
  readonly seed?: readonly SandboxAppSeed[];
  readonly deployStepMs?: number;
  /** Simulated host: time between two runtime log lines of one container (default 1500 ms). */
  readonly logIntervalMs?: number;
  /** logs.runtime.* overrides (stream buffer, linger, limits). */
  readonly runtime?: Partial<AppConfig['logs']['runtime']>;
  /** Changes to the container before the server is built (e.g. a use case that throws). */
  readonly configure?: (container: Container) => void;
  /** auth and tenants; by default none, and a rate limit no test that is not about it reaches. */
  readonly access?: Partial<AccessConfig>;
  /** The caller the session acts for (default: every app, every scope). */
  readonly caller?: Caller;
  /** audit.file (default: none, so audit lines go to the log stream). */
  readonly audit?: string;
  /** The sandbox host's plugins (which are installed; whether ssh-keys:add/remove are allowed). */
  readonly plugins?: SandboxPluginOptions;
}

/** Suites not about the rate limit poll as fast as they like. */
const UNREACHED_RATE_LIMIT = { perMinute: 1_000_000, burst: 1_000_000 };

export function testConfig(options: HarnessOptions = {}): AppConfig {
  const loaded = loadConfig({ argv: ['--sandbox'], env: {} });
  if (loaded.kind !== 'run') throw new Error('expected a run config');
  const base = loaded.config;
  return {
    ...base,
    logs: { ...base.logs, runtime: { ...base.logs.runtime, maxLines: options.maxLines ?? 1000, ...options.runtime } },
    security: { readOnly: options.readOnly ?? false, requireElicitation: options.requireElicitation ?? false },
    shutdown: { graceMs: 30_000 },
    tools: { toolsets: options.toolsets ? [...options.toolsets] : base.tools.toolsets },
    access: { ...base.access, rateLimit: UNREACHED_RATE_LIMIT, ...options.access },
    audit: { file: options.audit },
  };
}

/** A real SDK Client talking to a server built by the real container (sandbox host), over an in-memory pipe. */
export async function startHarness(options: HarnessOptions = {}) {
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const host = new SandboxDokkuHost({ deployStepMs: options.deployStepMs ?? 5, seed: options.seed ?? DEFAULT_SANDBOX_SEED, pluginOptions: options.plugins, logIntervalMs: options.logIntervalMs });
  const container = buildContainer(testConfig(options), '0.0.0-test', { logStream, sandboxHost: host });
  options.configure?.(container);
  const session: McpSession = container.get(McpServerFactory).create(options.caller);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await session.server.connect(serverTransport);
  const client = new Client(
    { name: 'jest-client', version: '1.0.0' },
    { capabilities: options.elicit ? { elicitation: { form: {} } } : {} },
  );
  const elicitations: ElicitRequest[] = [];
  if (options.elicit) {
    const answer = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      elicitations.push(request);
      return answer(request);
    });
  }
  await client.connect(clientTransport);

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  return {
    client,
    host,
    container,
    session,
    logLines,
    elicitations,
    call,
    close: async () => {
      await client.close();
      await session.close();
      container.get(RuntimeLogHub).dispose();
      host.dispose();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Another session on the same server (the same container), acting for `caller`, with its own SDK Client. */
export async function connectAs(container: Container, caller: Caller) {
  const session = container.get(McpServerFactory).create(caller);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await session.server.connect(serverTransport);
  const client = new Client({ name: `jest-${caller.tenant ?? 'operator'}`, version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    session,
    call: async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await session.close();
    },
  };
}
export type Connection = Awaited<ReturnType<typeof connectAs>>;

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

/** The structured content of a successful call; fails the test with the error text otherwise. */
export function ok<T = Record<string, any>>(result: CallToolResult): T {
  if (result.isError) throw new Error(`tool call failed: ${textOf(result)}`);
  return result.structuredContent as T;
}

/** The error text of a failed call; fails the test if it succeeded. */
export function failure(result: CallToolResult): string {
  if (!result.isError) throw new Error(`expected an error, got ${JSON.stringify(result.structuredContent)}`);
  const text = textOf(result);
  expect(text).not.toMatch(/\n\s+at \S/); // never a stack trace
  return text;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls get_build_logs with offsets until complete; returns every page read. */
export async function followBuild(h: Harness, deploymentId: string, maxPolls = 2000) {
  const pages: Record<string, any>[] = [];
  let offset = 0;
  for (let i = 0; i < maxPolls; i++) {
    const page = ok(await h.call('get_build_logs', { deployment_id: deploymentId, since_offset: offset }));
    pages.push(page);
    offset = page.next_offset;
    if (page.complete) return pages;
    await pause(10);
  }
  throw new Error(`deployment ${deploymentId} did not complete`);
}
