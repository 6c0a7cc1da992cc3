import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ChildStdioTransport } from '../support/child-stdio-transport.js';
import { initializeBody, JSON_HEADERS, raw, startHttpServer, type HttpServer } from '../support/http-server.js';
import { MAIN, requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { isRunning, startSshd, type SshdFixture } from '../support/sshd-fixture.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * Graceful shutdown of the BUILT server on SIGTERM and SIGINT, over stdio and over HTTP, against the real sshd and the
 * Dokku stand-in with a slow deploy: new sessions and changes are refused at once, every session is told (an MCP log
 * notification) and reads still answer, a running deploy is given shutdown.grace_seconds to finish, one still running
 * then is settled "outcome unknown: the server shut down" and named in the final notification, and the process exits 0.
 */
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const HANG_REPO = 'https://github.com/example/hang.git'; // the stand-in's deploy of it never ends
/** Waits for the process to exit by itself (stop() would send another signal, which means "hurry"). */
const exitOf = (s: HttpServer): Promise<number | null> =>
  s.child.exitCode !== null ? Promise.resolve(s.child.exitCode) : new Promise((done) => s.child.once('exit', (code) => done(code)));
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

let fixture: SshdFixture;
beforeAll(async () => {
  requireBuild();
  fixture = await startSshd({ deployStepMs: 120 }); // a deploy takes a few seconds
});
afterAll(async () => fixture?.stop());
beforeEach(() => fixture.seed({ apps: { 'slow-app': { deployed: false }, 'other-app': { deployed: false } } }));
const started: ChildStdioTransport[] = [];
afterEach(() => {
  // What a failed test may leave: its server, and the hung deploys (with their deploy locks) on the stand-in.
  for (const t of started.splice(0)) if (t.child.exitCode === null) t.child.kill('SIGKILL');
  for (const pid of fixture.hungPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const sshArgs = () => ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath];
const serverEnv = (graceSeconds: number) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint,
  DOKKU_MCP_SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
  DOKKU_MCP_LOG_LEVEL: 'info',
});

interface Notice {
  event: 'shutting_down' | 'shut_down';
  why: string;
  message: string;
  running?: Array<{ id: string; app: string }>;
  unfinished?: Array<{ id: string; app: string }>;
}
/** The shutdown notifications a client receives, in order. */
function collectNotices(client: Client): Notice[] {
  const notices: Notice[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const data = n.params.data as Notice;
    if (data?.event) notices.push(data);
  });
  return notices;
}

async function stdioServer(graceSeconds: number) {
  const transport = new ChildStdioTransport(process.execPath, [MAIN, '--config', resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml'), ...sshArgs()], serverEnv(graceSeconds), ROOT);
  started.push(transport);
  const client = new Client({ name: 'e2e-shutdown', version: '1.0.0' });
  const notices = collectNotices(client);
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { transport, client, notices, call };
}

describe('graceful shutdown over stdio', () => {
  it('SIGTERM: refuses changes, keeps answering reads, waits for the running deploy to succeed, then exits 0', async () => {
    const { transport, notices, call } = await stdioServer(30);
    const started = await call('deploy_app', { app_name: 'slow-app', repo_url: REPO });
    const id = started.structuredContent?.deployment_id as string;
    transport.child.kill('SIGTERM');
    await waitUntil(() => notices.length > 0, 'the shutting-down notification');
    expect(notices[0]).toMatchObject({ event: 'shutting_down', why: 'SIGTERM', running: [{ id, app: 'slow-app' }] });
    expect(notices[0]!.message).toContain('get up to 30 s to finish');

    const refused = await call('create_app', { app_name: 'too-late' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/shutting down \(SIGTERM\) and takes no new changes/);
    const status = await call('get_deployment_status', { deployment_id: id });
    expect(status.structuredContent).toMatchObject({ status: 'running' });

    expect(await transport.exited).toBe(0);
    expect(notices.map((n) => n.event)).toEqual(['shutting_down', 'shut_down']);
    expect(notices[1]).toMatchObject({ why: 'SIGTERM', unfinished: [] });
    expect(transport.stderr).toMatch(/deployment finished .*"status":"succeeded"/);
    expect(fixture.readState().apps['slow-app'].deployed).toBe(true); // the host finished it
    expect(fixture.readState().apps['too-late']).toBeUndefined();
  });

  it('SIGINT with shutdown.grace_seconds 1: a deploy still running is settled "outcome unknown" and named last', async () => {
    const { transport, notices, call } = await stdioServer(1);
    const id = (await call('deploy_app', { app_name: 'slow-app', repo_url: HANG_REPO })).structuredContent?.deployment_id as string;
    await waitUntil(() => fixture.hungPids().length > 0, 'the deploy to hang on the host');
    transport.child.kill('SIGINT');
    expect(await transport.exited).toBe(0);
    expect(notices.map((n) => n.event)).toEqual(['shutting_down', 'shut_down']);
    expect(notices[1]).toMatchObject({ why: 'SIGINT', unfinished: [{ id, app: 'slow-app' }] });
    expect(notices[1]!.message).toMatch(/outcome is unknown \(the server shut down\): .*slow-app/);
    expect(transport.stderr).toMatch(/deployment still running at shutdown: outcome unknown/);
  });

  it('a deploy still running at the end of the grace, recorded by the host: its channel is closed and it is settled from the build record', async () => {
    const { transport, notices, call } = await stdioServer(1);
    const started = await call('deploy_app', { app_name: 'slow-app', repo_url: REPO });
    const id = started.structuredContent?.deployment_id as string;
    expect(id).toMatch(/^slow-app\.[0-9a-z]{14}$/); // linked to the host's build record
    const build = id.split('.')[1]!;
    transport.child.kill('SIGTERM');
    expect(await transport.exited).toBe(0);
    expect(notices[1]).toMatchObject({ event: 'shut_down', unfinished: [{ id, app: 'slow-app', outcome: 'failed' }] });
    expect(notices[1]!.message).toContain(`the host's build record says: ${id} (slow-app) failed`);
    expect(notices[1]!.message).not.toMatch(/unknown/);
    // Closing the channel ended it on the host at its next write; the host's record says so, and so does the server.
    const record = (fixture.readState().apps['slow-app'].builds as Array<{ id: string; status: string; pid: number }>).find((b) => b.id === build)!;
    expect(isRunning(record.pid)).toBe(false);
    expect(fixture.readState().apps['slow-app'].deployed).toBe(false);
    expect(transport.stderr).toMatch(/deployment still running at shutdown: settled from the host build record .*"status":"failed","host":"abandoned"/);
    expect(transport.stderr).not.toMatch(/outcome unknown/);
  });

  it('a second signal stops waiting for deploys (Ctrl-C twice)', async () => {
    const { transport, notices, call } = await stdioServer(600);
    const before = fixture.hungPids().length;
    await call('deploy_app', { app_name: 'other-app', repo_url: HANG_REPO });
    await waitUntil(() => fixture.hungPids().length > before, 'the deploy to hang on the host');
    transport.child.kill('SIGINT');
    await waitUntil(() => notices.length > 0, 'the shutting-down notification');
    transport.child.kill('SIGINT');
    expect(await transport.exited).toBe(0);
    expect(notices[1]).toMatchObject({ event: 'shut_down', unfinished: [expect.objectContaining({ app: 'other-app' })] });
  });
});

describe('graceful shutdown over HTTP', () => {
  let server: HttpServer;
  afterEach(async () => server?.stop());

  it('SIGTERM: new sessions get 503 and /readyz says so, the open session is told and still reads, the deploy finishes, exit 0', async () => {
    server = await startHttpServer([...sshArgs(), '--config', resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml')], serverEnv(30));
    const client = new Client({ name: 'e2e-shutdown-http', version: '1.0.0' });
    const notices = collectNotices(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    await client.listTools(); // the session's GET stream is open by now (the SDK opens it after initialize)
    const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
    const id = (await call('deploy_app', { app_name: 'slow-app', repo_url: REPO })).structuredContent?.deployment_id as string;

    server.child.kill('SIGTERM');
    await waitUntil(() => notices.length > 0, 'the shutting-down notification on the GET stream');
    expect(notices[0]).toMatchObject({ event: 'shutting_down', why: 'SIGTERM', running: [{ id, app: 'slow-app' }] });
    const fresh = await raw(server.base, 'POST', '/mcp', JSON_HEADERS, initializeBody());
    expect(fresh.status).toBe(503);
    expect(fresh.headers['retry-after']).toBeDefined();
    expect(fresh.json().error.message).toContain('shutting down (SIGTERM) and opens no new sessions');
    expect((await raw(server.base, 'GET', '/sse', { Accept: 'text/event-stream' })).status).toBe(503);
    const ready = await raw(server.base, 'GET', '/readyz');
    expect({ status: ready.status, body: ready.json() }).toEqual({ status: 503, body: { status: 'not ready', reason: 'shutting down (SIGTERM)' } });
    expect((await call('get_deployment_status', { deployment_id: id })).structuredContent).toMatchObject({ status: 'running' });
    expect(textOf(await call('configure_app', { app_name: 'other-app', vars: { A: 'b' } }))).toMatch(/shutting down/);

    expect(await exitOf(server)).toBe(0);
    expect(notices.map((n) => n.event)).toEqual(['shutting_down', 'shut_down']);
    expect(notices[1]).toMatchObject({ unfinished: [] });
    expect(fixture.readState().apps['slow-app'].deployed).toBe(true);
    await client.close().catch(() => undefined);
  });
});
