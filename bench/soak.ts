/**
 * `make soak SOAK_MINUTES=30`: the built server in HTTP mode against the sshd fixture (OpenSSH + the Dokku stand-in),
 * kept busy for SOAK_MINUTES with deploys (their build logs polled to the end), polls of a mix of read tools, sessions
 * opened and closed, follow_runtime_logs calls and SSE log streams (GET /apps/{name}/logs/stream), all at once. The
 * server's RSS (and its V8 heap, from GET /metrics) is sampled every SOAK_SAMPLE_SECONDS; the run stops by itself at
 * the end, says whether the memory plateaus, and writes the figure into the "Soak" section of bench/RESULTS.md.
 * Not part of `make test` or `make bench`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { get } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSshd } from '../tests/support/sshd-fixture.js';
import { startHttpServer, type HttpServer } from '../tests/support/http-server.js';
import { SSH_DEFAULTS } from '../src/adapters/outbound/ssh/ssh-options.js';
import { probeEnv } from './http-rows.js';
import { machineLoadMeter, mb, plateau, plateaus, rssOf } from './stats.js';
import { writeSoakSection } from './results-file.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 5);
const RETENTION_MINUTES = Number(process.env.SOAK_RETENTION_MINUTES ?? 2);
const REPO = 'https://github.com/heroku/node-js-getting-started.git';
const FOLLOWED = 'node-js-app';
const DEPLOYED = ['node-js-app', 'soak-a', 'soak-b'];
const log = (text: string): void => void process.stderr.write(`${text}\n`);
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

/** What each loop did, and what went wrong (by message), so a soak that only counted failures says so. */
class Tally {
  readonly done = new Map<string, number>();
  readonly failed = new Map<string, number>();

  ok(what: string, n = 1): void {
    this.done.set(what, (this.done.get(what) ?? 0) + n);
  }

  fail(what: string, error: unknown): void {
    const why = `${what}: ${String(error instanceof Error ? error.message : error).replace(/\s+/g, ' ').slice(0, 140)}`;
    this.failed.set(why, (this.failed.get(why) ?? 0) + 1);
  }

  get failures(): number {
    return [...this.failed.values()].reduce((a, b) => a + b, 0);
  }
}

const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  if (result.isError) throw new Error(`${name}: ${textOf(result).slice(0, 200)}`);
  return (result.structuredContent ?? {}) as Record<string, any>;
}

async function connect(url: string, name: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name, version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** Runs `step` until the deadline; a failure is counted and the loop goes on after a pause. */
async function loop(tally: Tally, what: string, until: number, step: () => Promise<void>): Promise<void> {
  while (Date.now() < until) {
    try {
      await step();
    } catch (error) {
      tally.fail(what, error);
      await sleep(1000);
    }
  }
}

/** Deploys each app in turn and reads its build log page by page (since_offset) until it is complete. */
async function deployer(client: Client, tally: Tally, until: number): Promise<void> {
  let n = 0;
  await loop(tally, 'deploy', until, async () => {
    const app = DEPLOYED[n++ % DEPLOYED.length]!;
    const { deployment_id: id } = await call(client, 'deploy_app', { app_name: app, repo_url: REPO });
    let offset = 0;
    for (;;) {
      const page = await call(client, 'get_build_logs', { deployment_id: id, since_offset: offset });
      offset = page.next_offset;
      if (page.complete) {
        if (page.status !== 'succeeded') throw new Error(`deployment ${page.status}`);
        break;
      }
      await call(client, 'get_deployment_status', { deployment_id: id });
      await sleep(250);
    }
    tally.ok('deploys');
  });
}

/** A mix of read tools, back to back with a short pause, on one long-lived session. */
async function poller(client: Client, tally: Tally, until: number): Promise<void> {
  const calls: Array<[string, Record<string, unknown>]> = [
    ['list_apps', {}], ['get_app_status', { app_name: FOLLOWED }], ['get_runtime_logs', { app_name: FOLLOWED, lines: 100 }],
    ['get_app_config', { app_name: FOLLOWED }], ['list_deployments', {}], ['get_app_status', { app_name: 'soak-a' }],
  ];
  let n = 0;
  await loop(tally, 'poll', until, async () => {
    const [name, args] = calls[n++ % calls.length]!;
    await call(client, name, args);
    tally.ok('polls');
    await sleep(100);
  });
}

/** A new session every few seconds: initialize, one call, DELETE (as a well-behaved client leaves). */
async function churn(url: string, tally: Tally, until: number): Promise<void> {
  await loop(tally, 'session', until, async () => {
    const { client, transport } = await connect(url, 'dokku-mcp-soak-churn');
    try {
      await call(client, 'list_apps');
    } finally {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    }
    tally.ok('sessions opened and closed');
    await sleep(2000);
  });
}

/** follow_runtime_logs for 10 s at a time, lines counted from the progress notifications. */
async function follower(client: Client, tally: Tally, until: number): Promise<void> {
  await loop(tally, 'follow', until, async () => {
    let lines = 0;
    const result = (await client.callTool({ name: 'follow_runtime_logs', arguments: { app_name: FOLLOWED, seconds: 10, max_lines: 1000 } }, undefined, {
      timeout: 60_000,
      onprogress: () => void (lines += 1),
    })) as CallToolResult;
    if (result.isError) throw new Error(textOf(result).slice(0, 200));
    tally.ok('follow_runtime_logs calls');
    tally.ok('follow progress notifications', lines);
    await sleep(500);
  });
}

/** The SSE log stream for 7 s at a time, then the client goes away (as a browser tab that closes does). */
async function sse(base: string, tally: Tally, until: number): Promise<void> {
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      let events = 0;
      const req = get(`${base}/apps/${FOLLOWED}/logs/stream`, (res) => {
        if (res.statusCode !== 200) reject(new Error(`SSE status ${String(res.statusCode)}`));
        res.setEncoding('utf8');
        let rest = '';
        res.on('data', (chunk: string) => {
          const blocks = (rest + chunk).split('\n\n');
          rest = blocks.pop() ?? '';
          events += blocks.filter((e) => /^event: log$/m.test(e)).length;
        });
        res.on('error', () => undefined);
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve(events) : reject(error)));
      setTimeout(() => {
        req.destroy();
        resolve(events);
      }, 7000);
    });
  await loop(tally, 'sse', until, async () => {
    tally.ok('SSE log events', await once());
    tally.ok('SSE streams');
    await sleep(300);
  });
}

interface Sample {
  readonly minute: number;
  readonly rss: number;
  readonly heap: number;
  /** V8's heap as allocated (used or not), and the memory of Buffers and other objects outside it. */
  readonly heapTotal: number;
  readonly external: number;
  readonly sessions: number;
}

async function metric(base: string, name: string): Promise<number> {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function main(): Promise<void> {
  const fixture = await startSshd({ deployStepMs: 50, logIntervalMs: 100, retireMs: 2000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dokku-mcp-soak-'));
  const config = path.join(dir, 'soak.yaml');
  fs.writeFileSync(config, [
    '# The soak polls far faster than a person would: the rate limit (auth.rate_limit) is lifted.',
    'auth:', '  rate_limit: { per_minute: 1000000, burst: 1000000 }',
    'logs:', '  build:', `    retention_minutes: ${RETENTION_MINUTES}`, '',
  ].join('\n'));
  const probeFile = path.join(dir, 'channel-probe.json');
  let server: HttpServer | undefined;
  try {
    server = await startHttpServer(
      ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath,
        '--log-level', 'warn', '--config', config],
      { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint, ...probeEnv(probeFile) },
    );
    const pid = server.child.pid as number;
    const tally = new Tally();
    const main = await connect(server.url, 'dokku-mcp-soak');
    const polls = await connect(server.url, 'dokku-mcp-soak-polls');
    const follows = await connect(server.url, 'dokku-mcp-soak-follow');
    for (const app of DEPLOYED.slice(1)) await call(main.client, 'create_app', { app_name: app });
    await call(main.client, 'list_apps');

    const load = machineLoadMeter(fs, os.loadavg, os.cpus().length);
    const start = Date.now();
    const until = start + MINUTES * 60_000;
    const samples: Sample[] = [];
    const base = server.base;
    const sample = async (): Promise<void> => {
      const names = ['nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes', 'dokku_mcp_sessions'];
      const [heap, heapTotal, external, sessions] = (await Promise.all(names.map((name) => metric(base, name)))) as [number, number, number, number];
      samples.push({ minute: (Date.now() - start) / 60_000, rss: rssOf(pid, fs).rss, heap, heapTotal, external, sessions });
    };
    await sample();
    const sampler = setInterval(() => void sample().catch((error: unknown) => tally.fail('sample', error)), SAMPLE_SECONDS * 1000);
    const progress = setInterval(() => {
      const s = samples.at(-1);
      log(`soak: ${((Date.now() - start) / 60_000).toFixed(1)}/${MINUTES} min, RSS ${s ? mb(s.rss) : '?'}, heap ${s ? mb(s.heap) : '?'}, ` +
        `${[...tally.done].map(([k, v]) => `${k} ${v}`).join(', ')}; ${tally.failures} failures`);
    }, 60_000);
    log(`soak: ${MINUTES} min against ${server.url}, RSS sampled every ${SAMPLE_SECONDS} s …`);
    await Promise.all([
      deployer(main.client, tally, until),
      poller(polls.client, tally, until),
      churn(server.url, tally, until),
      follower(follows.client, tally, until),
      sse(base, tally, until),
    ]);
    clearInterval(sampler);
    clearInterval(progress);
    await sample();
    const seen = load();
    for (const c of [main, polls, follows]) {
      await c.transport.terminateSession().catch(() => undefined);
      await c.client.close().catch(() => undefined);
    }
    const code = await server.stop();
    if (code !== 0) throw new Error(`the server exited with ${String(code)}:\n${server.stderr().slice(-2000)}`);
    const probe = JSON.parse(fs.readFileSync(probeFile, 'utf8')) as { peak: number; opened: number };
    report(samples, tally, seen, probe);
  } finally {
    await server?.stop();
    await fixture.stop();
  }
}

function report(samples: Sample[], tally: Tally, load: string, probe: { peak: number; opened: number }): void {
  const rss = plateau(samples.map((s) => ({ minute: s.minute, value: s.rss })));
  const heap = plateau(samples.map((s) => ({ minute: s.minute, value: s.heap })));
  const verdict = plateaus(rss) && plateaus(heap) ? 'plateaus' : 'GROWS';
  const minutes = samples.at(-1)!.minute;
  const byMinute: string[] = [];
  for (let m = 0; m <= Math.floor(minutes); m += Math.max(1, Math.round(minutes / 15))) {
    const at = samples.find((s) => s.minute >= m);
    if (at) byMinute.push(`${m}′ ${(at.rss / 1048576).toFixed(0)}`);
  }
  const done = [...tally.done].map(([k, v]) => `${v} ${k}`).join(', ');
  const row = [
    `soak: deploys, polls, sessions, follow_runtime_logs and SSE at once for ${minutes.toFixed(1)} min`,
    `${samples.length} samples every ${SAMPLE_SECONDS} s; ${tally.failures} failures`,
    `RSS start ${mb(samples[0]!.rss)}, max of the middle third ${mb(rss.middleMax)}, max of the last third ${mb(rss.lastMax)}`,
    `V8 heap used: middle third max ${mb(heap.middleMax)}, last third max ${mb(heap.lastMax)}`,
    `RSS slope over the second half ${rss.slope.toFixed(2)} MB/min (heap ${heap.slope.toFixed(2)} MB/min); ${verdict}`,
    'plateaus (last third ≤ middle third + 5 %, slope < 0.5 MB/min)',
    load,
  ];
  const notes = [
    `What the soak did: ${done}; SSH channels at most ${probe.peak} at once (cap ssh.max_channels ${SSH_DEFAULTS.maxChannels}, counted by bench/channel-probe.ts), ${probe.opened} opened in all. ` +
      `Sessions open at the end (dokku_mcp_sessions): ${samples.at(-1)!.sessions}.`,
    `RSS by minute (MB): ${byMinute.join(', ')}.`,
    `Where the RSS is (GET /metrics), max of the middle third → max of the last third, slope over the second half: ${
      (['heapTotal', 'external'] as const).map((k) => {
        const p = plateau(samples.map((s) => ({ minute: s.minute, value: s[k] })));
        return `${k === 'heapTotal' ? 'V8 heap allocated (nodejs_heap_size_total_bytes)' : 'outside the V8 heap (nodejs_external_memory_bytes)'} ${mb(p.middleMax)} → ${mb(p.lastMax)}, ${p.slope.toFixed(2)} MB/min`;
      }).join('; ')}; the rest of the RSS is code, stacks and the allocator's own pages.`,
    `Set-up: the built server over HTTP against the sshd fixture (the stand-in's deploys take 50 ms a step, a log line every 100 ms), the rate limit lifted and logs.build.retention_minutes ${RETENTION_MINUTES}, so finished deployments and their logs come and go many times over the run (default 5); five loops at once: deploys of ${DEPLOYED.join(', ')} in turn, each build log read by since_offset to its end with get_deployment_status between reads; a read-tool mix (list_apps, get_app_status, get_runtime_logs, get_app_config, list_deployments) every 100 ms on one session; a new session every 2 s (one call, then DELETE); follow_runtime_logs of ${FOLLOWED} for 10 s at a time; the SSE stream of ${FOLLOWED} for 7 s at a time. RSS from /proc, the V8 heap from GET /metrics (nodejs_heap_size_used_bytes).`,
    ...[...tally.failed].map(([why, n]) => `Soak failure: ${n} × ${why}`),
  ];
  writeSoakSection('bench/RESULTS.md', row, notes, `make soak SOAK_MINUTES=${MINUTES}`);
  process.stdout.write(`${row.join('\n')}\n${notes.join('\n')}\n`);
}

main().catch((error: unknown) => {
  log(`soak failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
