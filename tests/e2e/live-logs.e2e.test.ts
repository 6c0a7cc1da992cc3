import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { resolve } from 'node:path';
import { startHttpServer, type HttpServer } from '../support/http-server.js';
import { MAIN, requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { isRunning, startSshd, type SeedApp, type SshdFixture } from '../support/sshd-fixture.js';
import { waitUntil } from '../support/wait-for.js';
import { bodyOf } from '../support/untrusted-fences.js';

/**
 * Live runtime logs end to end: the BUILT server over stdio, Streamable HTTP and legacy SSE, the real SSH adapter, a
 * real sshd and the Dokku stand-in, whose `logs --tail` writes a line every 10 ms and follows only the containers it
 * started with. The stand-in's call log and its tail pids say what the host was asked to run, and whether it still runs.
 */
const CONFIG = resolve(ROOT, 'tests/fixtures/config/live-logs.yaml');
const WAIT = 20_000;
const web = (config: Record<string, string> = {}): SeedApp => ({ deployed: true, running: true, scale: { web: 1 }, config, source: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' });
const SEED = { apps: { 'node-js-app': web({ DATABASE_URL: 'postgres://u:secretpw@db:5432/x' }), 'crowd-app': web(), 'redeploy-app': web(), 'cancel-app': web(), 'other-app': web() } };

type Entry = { timestamp?: string; process?: string; message: string; marker?: string };
const ok = (r: CallToolResult): Record<string, any> => {
  if (r.isError) throw new Error(`tool failed: ${r.content.map((c) => ('text' in c ? c.text : '')).join('\n')}`);
  return r.structuredContent as Record<string, any>;
};
const failureText = (r: CallToolResult): string => {
  expect(r.isError).toBe(true);
  return r.content.map((c) => ('text' in c ? c.text : '')).join('\n');
};
const resourceText = (r: { contents: ReadonlyArray<object> }) => r.contents.map((c) => ('text' in c ? String(c.text) : '')).join('');
const hostOf = (line: string) => /host=([0-9a-f]+)/.exec(line)?.[1];

function sshArgs(f: SshdFixture): string[] {
  return ['--config', CONFIG, '--ssh-host', f.host, '--ssh-port', String(f.port), '--ssh-user', f.user, '--ssh-key', f.clientKeyPath];
}
function sshEnv(f: SshdFixture, extra: Record<string, string> = {}): Record<string, string> {
  return { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: f.hostKeyFingerprint, DOKKU_MCP_SSH_CONNECT_TIMEOUT_MS: '1000', ...extra };
}
async function stdioClient(f: SshdFixture, extra: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN, ...sshArgs(f)],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...sshEnv(f, extra) },
    stderr: 'pipe',
    cwd: ROOT,
  });
  transport.stderr?.on('data', () => undefined);
  const client = new Client({ name: 'e2e-live-stdio', version: '1.0.0' });
  await client.connect(transport);
  return client;
}
async function httpClient(server: HttpServer, legacy = false): Promise<Client> {
  const client = new Client({ name: legacy ? 'e2e-live-sse' : 'e2e-live-http', version: '1.0.0' });
  await client.connect(legacy ? new SSEClientTransport(new URL(`${server.base}/sse`)) : new StreamableHTTPClientTransport(new URL(server.url)));
  return client;
}
const logStreams = async (client: Client) =>
  JSON.parse(resourceText(await client.readResource({ uri: 'dokku://server/info' }))).log_streams as { followed_apps: string[]; subscriptions: number };

/** A follow_runtime_logs call whose progress messages (compact text) are collected as they come. */
function follow(client: Client, args: Record<string, unknown>) {
  const controller = new AbortController();
  const progress: Progress[] = [];
  const text = () => progress.map((p) => p.message ?? '').join('\n');
  const done = client
    .callTool({ name: 'follow_runtime_logs', arguments: args }, undefined, { signal: controller.signal, onprogress: (p) => void progress.push(p), timeout: 60_000 })
    .then((r) => r as CallToolResult, (error: unknown) => error as Error);
  let failed: Error | undefined;
  void done.then((r) => {
    if (r instanceof Error && !controller.signal.aborted) failed = r;
    else if (!(r instanceof Error) && r.isError) failed = new Error(r.content.map((c) => ('text' in c ? c.text : '')).join('\n'));
  });
  const textOrFail = () => {
    if (failed) throw failed;
    return text();
  };
  return { progress, text: textOrFail, done, cancel: () => controller.abort('done watching') };
}

beforeAll(() => requireBuild());

describe('live runtime logs over real SSH', () => {
  let fixture: SshdFixture;
  let server: HttpServer;
  let stdio: Client;
  const opened: Client[] = [];
  /** Whatever a failed test left running (follows), so that the next one starts clean. */
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  const open = async (legacy = false) => {
    const client = await httpClient(server, legacy);
    opened.push(client);
    return client;
  };

  beforeAll(async () => {
    fixture = await startSshd({ deployStepMs: 20, logIntervalMs: 10 });
    fixture.seed(SEED);
    [server, stdio] = await Promise.all([startHttpServer(sshArgs(fixture), sshEnv(fixture)), stdioClient(fixture)]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
    await stdio?.close();
    await server?.stop();
    await fixture?.stop();
  });

  it('stdio, Streamable HTTP and legacy SSE clients receive the same lines, in order, sanitized', async () => {
    const [http, sse] = await Promise.all([open(), open(true)]);
    const runs = [stdio, http, sse].map((client) => follow(client, { app_name: 'node-js-app', seconds: 3 }));
    const results = await Promise.all(runs.map((run) => run.done));
    const entries = results.map((r) => ok(r as CallToolResult).entries as Entry[]);
    for (const list of entries) expect(list.length).toBeGreaterThan(50);
    // Two servers follow the app (stdio is a process of its own): compare the window all three saw.
    const from = entries.map((l) => l[0]!.timestamp!).sort().at(-1)!;
    const to = entries.map((l) => l.at(-1)!.timestamp!).sort()[0]!;
    const windows = entries.map((l) => l.filter((e) => e.timestamp! >= from && e.timestamp! <= to));
    expect(windows[0]!.length).toBeGreaterThan(20);
    expect(windows[1]).toEqual(windows[0]);
    expect(windows[2]).toEqual(windows[0]);
    const times = windows[0]!.map((e) => e.timestamp!);
    expect(times).toEqual([...times].sort());
    const all = entries.flat().map((e) => e.message).join('\n');
    expect(all).toContain('Connecting to postgres://app:[REDACTED]@db:5432/app');
    expect(all).toContain('Authorization: Bearer [REDACTED]');
    expect(all).not.toMatch(/hunter2|eyJhbGci/);
    // The progress notifications carried the same lines as compact text.
    expect(runs[1]!.text()).toContain(`${windows[1]![0]!.timestamp!.slice(11, 23)} web.1 ${windows[1]![0]!.message}`);
  });

  it('100 subscribers across Streamable HTTP and SSE sessions share one `logs --tail`, which ends after the last leaves', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => open(i % 5 === 4)));
    const updated = new Set<Client>();
    for (const client of clients) client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void updated.add(client));
    await Promise.all(clients.map((client) => client.subscribeResource({ uri: 'dokku://app/crowd-app/logs' })));
    const follows = clients.map((client) => follow(client, { app_name: 'crowd-app', seconds: 40 }));
    cleanups.push(() => follows.forEach((f) => f.cancel()));
    await waitUntil(() => updated.size === 50 && follows.every((f) => f.progress.length > 0), 'every session to hear of new lines', WAIT);
    // More lines than the buffer holds (100) have come since the resource subscriptions began.
    await waitUntil(() => (follows[0]!.progress.at(-1)?.progress ?? 0) > 150, '150 lines', WAIT);
    expect(fixture.tailCalls().filter((argv) => argv[1] === 'crowd-app')).toEqual([['logs', 'crowd-app', '--tail', '--num', '0']]);
    expect((await logStreams(clients[0]!)).subscriptions).toBe(100);

    // None of them read the resource yet, so each missed lines: the buffer (100 lines) is all any read can show.
    const read = bodyOf(resourceText(await clients[7]!.readResource({ uri: 'dokku://app/crowd-app/logs' }))).trimEnd().split('\n');
    expect(Number(/^--- gap: (\d+) lines missed/.exec(read[0]!)?.[1])).toBeGreaterThan(0);
    expect(read.filter((line) => hostOf(line)).length).toBeLessThanOrEqual(100);

    const [pid] = fixture.tailPids('crowd-app');
    follows.forEach((f) => f.cancel());
    await Promise.all(follows.map((f) => f.done));
    await Promise.all(clients.map((client) => client.unsubscribeResource({ uri: 'dokku://app/crowd-app/logs' })));
    // Each cancellation is a message of its own, handled as the server reads it.
    let left = (await logStreams(clients[0]!)).subscriptions;
    for (let i = 0; i < 200 && left > 0; i++) left = (await logStreams(clients[0]!)).subscriptions;
    expect(left).toBe(0);
    await waitUntil(() => !isRunning(pid!), 'the remote follower to end after the linger', WAIT);
    expect(fixture.tailCalls().filter((argv) => argv[1] === 'crowd-app')).toHaveLength(1);
  });

  it('a redeploy mid-stream: `restarted`, then only the new containers\' lines; the old follower is ended', async () => {
    const watcher = await open();
    const run = follow(watcher, { app_name: 'redeploy-app', seconds: 40 });
    cleanups.push(run.cancel);
    await waitUntil(() => run.text().includes('host='), 'lines of the running container', WAIT);
    const [oldPid] = fixture.tailPids('redeploy-app');
    const oldHost = hostOf(run.text().split('\n').find((line) => hostOf(line))!);
    // Through the same server: its deploys tell its followers (a deploy by another process is the host's own, to them).
    const started = ok((await watcher.callTool({ name: 'restart_app', arguments: { app_name: 'redeploy-app' } })) as CallToolResult);
    await waitUntil(() => run.text().includes('--- restarted:'), 'the restarted marker', WAIT);
    const status = ok((await watcher.callTool({ name: 'get_deployment_status', arguments: { deployment_id: started.deployment_id } })) as CallToolResult);
    expect(status.status).toBe('succeeded');
    await waitUntil(() => (run.text().split('--- restarted:')[1] ?? '').split('\n').filter(hostOf).length >= 5, 'lines after the marker', WAIT);
    run.cancel();
    const [before, after] = run.text().split(/--- restarted: [^\n]*---/) as [string, string];
    expect(before.split('\n').filter(hostOf).every((line) => hostOf(line) === oldHost)).toBe(true);
    const newHosts = new Set(after.split('\n').filter(hostOf).map(hostOf));
    expect(newHosts.size).toBe(1);
    expect(newHosts.has(oldHost)).toBe(false);
    // The stand-in keeps a replaced container's follower printing for 60 s: it ended because we closed it.
    await waitUntil(() => !isRunning(oldPid!), 'the old remote follower to end', WAIT);
    expect(fixture.tailCalls().filter((argv) => argv[1] === 'redeploy-app')).toHaveLength(2);
  });

  it('cancelling follow_runtime_logs: the subscription is gone at once, the remote follower after the linger', async () => {
    const run = follow(stdio, { app_name: 'cancel-app', seconds: 40 });
    cleanups.push(run.cancel);
    await waitUntil(() => run.progress.length > 0, 'the first batch', WAIT);
    const [pid] = fixture.tailPids('cancel-app');
    run.cancel();
    await run.done;
    let streams = await logStreams(stdio);
    // The server handles the cancellation as soon as it reads it: poll a few times, without a clock in the assertion.
    for (let i = 0; i < 20 && streams.subscriptions > 0; i++) streams = await logStreams(stdio);
    expect(streams).toEqual({ followed_apps: expect.arrayContaining(['cancel-app']), subscriptions: 0 });
    expect(isRunning(pid!)).toBe(true); // lingering, for a client that comes back
    await waitUntil(() => !isRunning(pid!), 'the remote follower to end after the linger', WAIT);
    expect((await logStreams(stdio)).followed_apps).not.toContain('cancel-app');
  });

  it('over a stream limit: the refusal names the limit and its value', async () => {
    const limited = await stdioClient(fixture, { DOKKU_MCP_LOGS_RUNTIME_MAX_STREAMS: '1' });
    try {
      await limited.subscribeResource({ uri: 'dokku://app/other-app/logs' });
      const refused = failureText((await limited.callTool({ name: 'follow_runtime_logs', arguments: { app_name: 'node-js-app', seconds: 1 } })) as CallToolResult);
      expect(refused).toContain('logs.runtime.max_streams = 1');
      await expect(limited.subscribeResource({ uri: 'dokku://app/node-js-app/logs' })).rejects.toThrow('logs.runtime.max_streams = 1');
    } finally {
      await limited.close();
    }
  });
});

describe('live runtime logs when sshd goes away', () => {
  let fixture: SshdFixture;
  let client: Client;
  beforeAll(async () => {
    fixture = await startSshd({ deployStepMs: 20, logIntervalMs: 10 });
    client = await stdioClient(fixture);
  });
  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
  });

  it('sshd killed mid-stream: a `gap` marker, and lines again once sshd is back', async () => {
    const run = follow(client, { app_name: 'node-js-app', seconds: 40 });
    await waitUntil(() => run.text().includes('host='), 'lines', WAIT);
    await fixture.kill();
    await waitUntil(() => run.text().includes('--- gap:'), 'the gap marker', WAIT);
    await fixture.start();
    await waitUntil(() => (run.text().split('--- gap:')[1] ?? '').split('\n').filter(hostOf).length >= 3, 'lines after the gap', WAIT);
    run.cancel();
    // The connection drop, or Dokku's follower killed with the sessions (whichever the server hears of first).
    expect(run.text()).toMatch(/--- gap: lines may be missing \((the SSH connection was lost|Dokku's follower ended)[^\n]*\) ---/);
    expect(fixture.tailCalls().length).toBeGreaterThanOrEqual(2);
  });
});
