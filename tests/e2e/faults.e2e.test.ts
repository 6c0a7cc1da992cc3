import { request, type IncomingMessage } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { raw, startHttpServer, type HttpServer } from '../support/http-server.js';
import { requireBuild, ROOT } from '../support/raw-stdio-server.js';
import { isRunning, startSshd, type SeedApp, type SshdFixture } from '../support/sshd-fixture.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait-for.js';

/**
 * The host's faults, played by a TCP proxy between the BUILT server (HTTP) and the real sshd with the Dokku stand-in:
 * frozen (nothing flows, nothing closes) and killed (every connection destroyed, the port refusing) during a poll, a
 * deploy, a followed log stream and a burst of 50 concurrent calls; unreachable at start-up; a known_hosts that
 * names another key. Each time: a clear error within its timeout, the server up, no deployment left running, no
 * channel slot leaked (afterwards ssh.max_channels commands run at once), and it recovers by itself once the host is
 * back (keepalive notices a dead connection; the next call reconnects).
 */
const CONFIG = resolve(ROOT, 'tests/fixtures/config/fast-polling.yaml');
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const COMMAND_TIMEOUT_MS = 1500;
const CONNECT_TIMEOUT_MS = 1000;
const KEEPALIVE_MS = 200; // ssh2 gives up after 3 unanswered keepalives
const MAX_CHANNELS = 4;
/** What a call may take beyond its timeout on this busy 2-core machine: only a hung call reaches it. */
const SLACK_MS = 2500;
/** How long the server may take to be back on its own once the host is: a dead connection noticed, one reconnect. */
const RECOVERY_MS = CONNECT_TIMEOUT_MS + 4 * KEEPALIVE_MS + 4000;
const deployed = (): SeedApp => ({ deployed: true, running: true, scale: { web: 1 }, source: REPO, ref: 'main' });

const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const ok = (r: CallToolResult): Record<string, any> => {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as Record<string, any>;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let fixture: SshdFixture;
let proxy: TcpProxy;
const servers: HttpServer[] = [];
const clients: Client[] = [];

function sshEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint,
    DOKKU_MCP_SSH_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    DOKKU_MCP_SSH_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    DOKKU_MCP_SSH_KEEPALIVE_INTERVAL_MS: String(KEEPALIVE_MS),
    DOKKU_MCP_SSH_MAX_CHANNELS: String(MAX_CHANNELS),
    DOKKU_MCP_SSH_DEPLOY_TIMEOUT_MS: '15000',
    DOKKU_MCP_DEPLOYMENTS_BUILD_ID_WAIT_MS: '1000',
    DOKKU_MCP_SHUTDOWN_GRACE_SECONDS: '0',
    ...extra,
  };
}
async function serve(port: number, env: Record<string, string> = {}, args: string[] = []): Promise<{ server: HttpServer; client: Client }> {
  const server = await startHttpServer(
    ['--config', CONFIG, '--ssh-host', fixture.host, '--ssh-port', String(port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath, ...args],
    // An empty value removes the variable (e.g. the pin, to verify by known_hosts instead).
    Object.fromEntries(Object.entries(sshEnv(env)).filter(([, value]) => value !== '')),
  );
  servers.push(server);
  const client = new Client({ name: 'e2e-faults', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  clients.push(client);
  return { server, client };
}

/** A call and how long it took. */
async function timedCall(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ result: CallToolResult; ms: number }> {
  const started = Date.now();
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { result, ms: Date.now() - started };
}
/** The server process is up and answers HTTP. */
async function serverUp(server: HttpServer): Promise<void> {
  expect(server.child.exitCode).toBeNull();
  expect((await raw(server.base, 'GET', '/healthz')).status).toBe(200);
}
async function metric(server: HttpServer, name: string): Promise<number> {
  const text = (await raw(server.base, 'GET', '/metrics')).body;
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}
/** Calls list_apps until it answers (the host is back): it must within RECOVERY_MS, by itself. */
async function recovers(client: Client): Promise<void> {
  const deadline = Date.now() + RECOVERY_MS;
  let last = '';
  for (;;) {
    const { result } = await timedCall(client, 'list_apps');
    if (!result.isError) return void expect(ok(result).apps).toContain('node-js-app');
    last = textOf(result);
    if (Date.now() > deadline) throw new Error(`the server did not recover within ${RECOVERY_MS} ms: ${last}`);
    await pause(200);
  }
}
/** Nothing left running, and no channel held: every slot came back. */
async function settled(server: HttpServer, client: Client): Promise<void> {
  const { deployments } = ok(await client.callTool({ name: 'list_deployments', arguments: {} }) as CallToolResult);
  expect(deployments.filter((d: { status: string; origin: string }) => d.origin === 'mcp' && (d.status === 'running' || d.status === 'pending'))).toEqual([]);
  for (const deadline = Date.now() + 5000; (await metric(server, 'dokku_mcp_ssh_channels_in_use')) !== 0; await pause(100)) {
    if (Date.now() > deadline) throw new Error(`SSH channels still in use: ${await metric(server, 'dokku_mcp_ssh_channels_in_use')}`);
  }
}
async function untilEnded(client: Client, id: string, ms: number): Promise<Record<string, any>> {
  for (const deadline = Date.now() + ms; ; await pause(100)) {
    const status = ok((await client.callTool({ name: 'get_deployment_status', arguments: { deployment_id: id } })) as CallToolResult);
    if (!status.active) return status;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${status.status} after ${ms} ms`);
  }
}

/** An SSE client of GET /apps/{name}/logs/stream: the events it got, by type. */
function follow(server: HttpServer, app: string): { events: Array<{ event: string; data: string }>; close: () => void; ready: Promise<void> } {
  const events: Array<{ event: string; data: string }> = [];
  let response: IncomingMessage | undefined;
  const req = request(`${server.base}/apps/${app}/logs/stream?lines=0`, { headers: { Accept: 'text/event-stream' } });
  const ready = new Promise<void>((done, fail) => {
    req.on('response', (res) => {
      response = res;
      if (res.statusCode !== 200) return fail(new Error(`stream answered ${res.statusCode}`));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '' });
        }
      });
      done();
    });
    req.on('error', fail);
  });
  req.end();
  return { events, ready, close: () => (response?.destroy(), req.destroy()) };
}
const count = (events: Array<{ event: string }>, type: string) => events.filter((e) => e.event === type).length;

beforeAll(async () => {
  requireBuild();
  fixture = await startSshd({ deployStepMs: 30, logIntervalMs: 50 });
  fixture.seed({ apps: { ...fixture.readState().apps, 'fault-app': deployed() } });
  proxy = new TcpProxy(fixture.port);
  await proxy.start();
});
afterEach(async () => {
  proxy.thaw();
  await proxy.revive();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await Promise.all(servers.map((s) => s.stop()));
  await proxy?.stop();
  await fixture?.stop();
});

describe('the host frozen or killed under a running server', () => {
  let server: HttpServer;
  let client: Client;
  beforeAll(async () => {
    ({ server, client } = await serve(proxy.port));
    await recovers(client); // connected
  });
  afterEach(async () => {
    proxy.thaw(); // (this runs before the file's own afterEach)
    await proxy.revive();
    await recovers(client);
    await serverUp(server);
    await settled(server, client);
  });

  it('frozen during a poll: the call fails at ssh.command_timeout_ms saying so; thawed, it answers again by itself', async () => {
    proxy.freeze();
    const { result, ms } = await timedCall(client, 'get_app_status', { app_name: 'node-js-app' });
    expect(result.isError).toBe(true);
    // Whichever step it was in (the channel, or a reconnect after keepalive gave up on the connection), it says how long.
    expect(textOf(result)).toMatch(new RegExp(`127\\.0\\.0\\.1:${proxy.port}: (no complete answer|no SSH connection) within ${COMMAND_TIMEOUT_MS} ms.*ssh\\.command_timeout_ms`, 's'));
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    await serverUp(server);
    proxy.thaw();
  });

  it('killed during a poll: the call in flight fails naming host:port, and so does the next while it is down', async () => {
    proxy.freeze(); // holds the call in flight…
    const inFlight = timedCall(client, 'get_app_status', { app_name: 'node-js-app' });
    await pause(300);
    await proxy.kill(); // …when the host goes away
    const { result, ms } = await inFlight;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`127.0.0.1:${proxy.port}`);
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    const down = await timedCall(client, 'list_apps');
    expect(textOf(down.result)).toMatch(new RegExp(`127\\.0\\.0\\.1:${proxy.port}.*(connection refused|no SSH connection|no complete answer)`, 's'));
    expect(down.ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
    expect(textOf(down.result)).not.toMatch(/\n\s+at \S/);
  });

  for (const fault of ['frozen', 'killed'] as const) {
    it(`${fault} during a deploy: not failed on a guess: running while the host is away, then settled from the host's build record; a new deploy runs once the host is back`, async () => {
      const { deployment_id: id } = ok((await client.callTool({ name: 'deploy_app', arguments: { app_name: 'fault-app', repo_url: REPO } })) as CallToolResult);
      if (fault === 'frozen') proxy.freeze();
      else await proxy.kill();
      // Frozen, the connection is given up when keepalive gets no answer; killed, at once. The log says so.
      const lost = 'the connection to the Dokku host was lost while this ran';
      for (const deadline = Date.now() + 3 * KEEPALIVE_MS + CONNECT_TIMEOUT_MS + SLACK_MS * 2; ; await pause(100)) {
        const page = ok((await client.callTool({ name: 'get_build_logs', arguments: { deployment_id: id } })) as CallToolResult);
        if (page.text.includes(lost)) break;
        if (Date.now() > deadline) throw new Error(`no word of the lost connection in the build log: ${page.text.slice(-300)}`);
      }
      // The host's record cannot be read while it is away: the deployment is still running, its outcome not guessed.
      await pause(500);
      expect(ok((await client.callTool({ name: 'get_deployment_status', arguments: { deployment_id: id } })) as CallToolResult)).toMatchObject({ status: 'running' });
      await serverUp(server);
      proxy.thaw();
      await proxy.revive();
      await recovers(client);
      const ended = await untilEnded(client, id, RECOVERY_MS + 5000);
      // Killed, sshd hung up the deploy's pty at once: Dokku recorded it abandoned. Frozen, it may have finished first.
      if (fault === 'killed' || ended.status !== 'succeeded') {
        expect(ended).toMatchObject({ status: 'failed', error: expect.stringMatching(/^Dokku recorded it as (abandoned|failed).*; the connection to the Dokku host was lost while it ran/) });
      }
      // The host's half of the lost deploy ends at its next write (its channel is gone): then the app takes a new one.
      let next: CallToolResult | undefined;
      for (const deadline = Date.now() + 10_000; ; await pause(200)) {
        next = (await client.callTool({ name: 'deploy_app', arguments: { app_name: 'fault-app', repo_url: REPO } })) as CallToolResult;
        if (!next.isError || Date.now() > deadline) break;
        expect(textOf(next)).toMatch(/already has a deployment running|deploy lock/);
      }
      expect((await untilEnded(client, ok(next).deployment_id, 20_000)).status).toBe('succeeded');
    });

    it(`${fault} during a followed log stream (SSE): a gap says so, and lines come again by themselves once the host is back`, async () => {
      const stream = follow(server, 'node-js-app');
      try {
        await stream.ready;
        await waitUntil(() => count(stream.events, 'log') >= 3, 'the first lines');
        if (fault === 'frozen') proxy.freeze();
        else await proxy.kill();
        await waitUntil(() => count(stream.events, 'gap') >= 1, 'a gap event', 3 * KEEPALIVE_MS + SLACK_MS * 2);
        expect(stream.events.find((e) => e.event === 'gap')!.data).toMatch(/connection|lost|reconnect/i);
        await serverUp(server);
        const before = count(stream.events, 'log');
        proxy.thaw();
        await proxy.revive();
        await waitUntil(() => count(stream.events, 'log') > before + 2, 'lines after the host is back', RECOVERY_MS + 5000);
        expect(count(stream.events, 'end')).toBe(0); // the stream itself never ended
      } finally {
        stream.close();
      }
      await waitUntil(() => fixture.tailPids('node-js-app').every((pid) => !isRunning(pid)), 'the remote followers to end');
    });

    it(`${fault} during a burst of 50 concurrent calls: every call answers within its timeout, the server stays up`, async () => {
      const burst = Array.from({ length: 50 }, (_, i) => timedCall(client, i % 2 ? 'list_apps' : 'get_app_status', i % 2 ? {} : { app_name: 'node-js-app' }));
      await pause(50);
      if (fault === 'frozen') proxy.freeze();
      else await proxy.kill();
      const results = await Promise.all(burst);
      for (const { result, ms } of results) {
        expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + SLACK_MS);
        if (result.isError) expect(textOf(result)).toMatch(new RegExp(`Dokku host 127\\.0\\.0\\.1:${proxy.port}|no complete answer|127\\.0\\.0\\.1:${proxy.port}`));
      }
      expect(results.filter((r) => r.result.isError).length).toBeGreaterThan(0);
      await serverUp(server);
    });
  }

  it('afterwards, ssh.max_channels commands still run at once, and a command that hangs is ended on the host', async () => {
    // "Afterwards": once the server has its connection again (the last fault may have left it reconnecting), so that
    // every call below reaches the host and hangs there, rather than waiting out its deadline for a connection.
    for (let tries = 0; (await timedCall(client, 'list_apps')).result.isError; tries++) {
      if (tries >= 40) throw new Error('the server did not reconnect to the host');
      await new Promise((r) => setTimeout(r, 250));
    }
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    try {
      const before = fixture.hungPids().length;
      const calls = Array.from({ length: MAX_CHANNELS }, () => timedCall(client, 'get_app_status', { app_name: 'node-js-app' }));
      // Each holds its channel until its timeout: MAX_CHANNELS of them hung at once on the host proves the slots free.
      await waitUntil(() => fixture.hungPids().length - before >= MAX_CHANNELS, `${MAX_CHANNELS} commands running at once`);
      const results = await Promise.all(calls);
      for (const { result } of results) expect(textOf(result)).toMatch(/no complete answer within/);
      const pids = fixture.hungPids().slice(before);
      await waitUntil(() => pids.every((pid) => !isRunning(pid)), 'the hung remote processes to be hung up');
    } finally {
      fixture.seed({ apps: fixture.readState().apps, hang: [] });
    }
  });
});

describe('a host that is not right from the start', () => {
  it('unreachable at start-up: a clear error, and the server connects by itself once the host is up', async () => {
    const late = new TcpProxy(fixture.port);
    await late.start();
    await late.kill(); // the port is known, nothing listens
    try {
      const { server, client } = await serve(late.port);
      const { result, ms } = await timedCall(client, 'list_apps');
      expect(textOf(result)).toMatch(new RegExp(`127\\.0\\.0\\.1:${late.port}: connection refused`));
      expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
      await serverUp(server);
      await late.revive();
      await recovers(client);
    } finally {
      await late.stop();
    }
  });

  it('a known_hosts file naming another key: refused, saying how to re-pin, and the server stays up', async () => {
    const file = path.join(fixture.stateDir, 'other_known_hosts');
    // A key that is not the host's (the fixture's client key stands in for an impostor's host key).
    const impostor = fs.readFileSync(`${fixture.clientKeyPath}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(file, `[127.0.0.1]:${fixture.port} ${impostor}\n`);
    const { server, client } = await serve(fixture.port, { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: '', DOKKU_MCP_SSH_KNOWN_HOSTS: file });
    const { result } = await timedCall(client, 'list_apps');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/known_hosts/);
    expect(textOf(result)).toMatch(/ssh-keyscan/);
    await serverUp(server);
  });
});
