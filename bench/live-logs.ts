/**
 * The live runtime-log rows of `make bench`: latency, throughput and memory of the stream (stand-in → SSH → hub →
 * MCP client), the sanitizer's cost beside plain line splitting, a followed app's poll, and the text's bytes per line.
 * Each group runs on a fixture of its own (the stand-in's line rate is set per fixture), after the other rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { get } from 'node:http';
import { startSshd, type SshdFixture } from '../tests/support/sshd-fixture.js';
import { startHttpServer } from '../tests/support/http-server.js';
import { SshConnection } from '../src/adapters/outbound/ssh/ssh-connection.js';
import { SSH_DEFAULTS, type SshOptions } from '../src/adapters/outbound/ssh/ssh-options.js';
import { LogLine } from '../src/domain/log-line.js';
import { LogText } from '../src/domain/log-text.js';
import { Sanitizer } from '../src/domain/sanitizer.js';
import type { Logger } from '../src/ports/logger.port.js';
import { startStdioServer } from './servers.js';
import { mb, ms, percentile, rssOf, timeEach } from './stats.js';

export interface BenchOutput {
  row(...cells: string[]): void;
  note(text: string): void;
  log(text: string): void;
}

const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 8);
const SLOW_SECONDS = Number(process.env.BENCH_SLOW_SECONDS ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 40);
const HUNDRED_BURST = Number(process.env.BENCH_HUNDRED_BURST ?? 1);
const SANITIZER_MB = Number(process.env.BENCH_SANITIZER_MB ?? 50);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));
const APP = 'node-js-app';

function sshOptions(f: SshdFixture): SshOptions {
  return { ...SSH_DEFAULTS, host: f.host, port: f.port, user: f.user, keyPath: f.clientKeyPath, hostKeyFingerprint: f.hostKeyFingerprint };
}

/** A config for the benchmark's servers: no rate limit in the way, room for 100 subscriptions in one session. */
export function benchConfig(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dokku-mcp-bench-')), 'live.yaml');
  fs.writeFileSync(file, [
    'auth:', '  rate_limit: { per_minute: 1000000, burst: 1000000 }',
    'logs:', '  runtime:', '    max_lines: 100000', '    stream_linger_ms: 500',
    '    max_streams_per_session: 200', '    max_streams_per_tenant: 1000', '',
  ].join('\n'));
  return file;
}

const startServer = (f: SshdFixture, config: string) => startStdioServer(f, config, 'dokku-mcp-bench-live');

/** The timestamps (epoch ms) of the lines in compact text; `day` carries the date line over from batch to batch. */
function timesOfText(text: string, day: { value?: string }): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const date = /^--- (\d{4}-\d{2}-\d{2}) UTC ---$/.exec(line);
    if (date) day.value = date[1];
    const time = /^(\d{2}:\d{2}:\d{2}\.\d{3}) /.exec(line);
    if (time && day.value) out.push(Date.parse(`${day.value}T${time[1]}Z`));
  }
  return out;
}

/** Milliseconds from each line's timestamp (when the stand-in wrote it) to `now`, for compact text lines. */
function latenciesOfText(text: string, now: number, day: { value?: string }): number[] {
  return timesOfText(text, day).map((at) => now - at);
}

/** Lines per second of the stand-in's clock: lines received over the span of their own timestamps. */
class LineRate {
  private first = Infinity;
  private last = -Infinity;
  lines = 0;

  add(times: readonly number[]): void {
    for (const at of times) {
      this.first = Math.min(this.first, at);
      this.last = Math.max(this.last, at);
    }
    this.lines += times.length;
  }

  get perSecond(): number {
    return this.last > this.first ? this.lines / ((this.last - this.first) / 1000) : 0;
  }
}

/** The timestamps (epoch ms) of raw Dokku lines. */
function timesOfRaw(text: string): number[] {
  const out: number[] = [];
  for (const match of text.matchAll(/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\d*Z app\[/g)) out.push(Date.parse(`${match[1]}Z`));
  return out;
}

/** Milliseconds from each raw Dokku line's timestamp to `now`. */
function latenciesOfRaw(text: string, now: number): number[] {
  return timesOfRaw(text).map((at) => now - at);
}

/** Follows over a raw SSH stream on an open connection for `seconds`, handing each chunk to `onChunk`. */
async function rawFollow(conn: SshConnection, seconds: number, onChunk: (text: string) => void): Promise<void> {
  const handle = await conn.stream(`logs '${APP}' --tail --num '0'`, { onStdout: onChunk, pty: true, longLived: true, follower: true });
  await sleep(seconds * 1000);
  handle.close();
  await handle.done;
}

/** The SSE log stream (GET /apps/{name}/logs/stream) for `seconds`: each `event: log` line's delay from its timestamp. */
export function sseFollow(base: string, seconds: number, onLatency: (ms: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/apps/${APP}/logs/stream`, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = Date.now();
        raw += chunk;
        const end = raw.lastIndexOf('\n\n');
        if (end < 0) return;
        for (const match of raw.slice(0, end).matchAll(/^data: \{"timestamp":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\d*Z"/gm)) {
          onLatency(now - Date.parse(`${match[1]}Z`));
        }
        raw = raw.slice(end + 2);
      });
      res.on('error', () => undefined);
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
    setTimeout(() => {
      req.destroy();
      resolve();
    }, seconds * 1000);
  });
}

/** One follow_runtime_logs call for `seconds`, cancelled then (its result, maybe 100 000 lines, is not wanted). */
async function mcpFollow(client: Client, seconds: number, onProgress: (p: Progress, now: number) => void): Promise<void> {
  const controller = new AbortController();
  const call = client
    .callTool({ name: 'follow_runtime_logs', arguments: { app_name: APP, seconds: 50, max_lines: 100_000 } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => onProgress(p, Date.now()),
      timeout: 120_000,
    })
    .catch(() => undefined);
  await sleep(seconds * 1000);
  controller.abort();
  await call;
}

async function latency(out: BenchOutput, config: string): Promise<void> {
  // A line every 50 ms: each one on its own, so the figure is the path's delay, not batching.
  const f = await startSshd({ logIntervalMs: 50 });
  const conn = new SshConnection(sshOptions(f), quiet);
  const { client } = await startServer(f, config);
  try {
    const raw: number[] = [];
    await rawFollow(conn, SECONDS, (text) => raw.push(...latenciesOfRaw(text, Date.now())));
    const viaMcp: number[] = [];
    const day: { value?: string } = {};
    await mcpFollow(client, 1, () => undefined); // warm: connection, follower, JIT
    await mcpFollow(client, SECONDS, (p, now) => viaMcp.push(...latenciesOfText(p.message ?? '', now, day)));
    const [m50, m99, r50, r99] = [percentile(viaMcp, 50), percentile(viaMcp, 99), percentile(raw, 50), percentile(raw, 99)];
    out.row('line latency, stand-in → MCP client (follow_runtime_logs progress, stdio)', `${viaMcp.length} lines`, `p50 ${ms(m50)} / p99 ${ms(m99)}`,
      `raw SSH stream on an open connection: p50 ${ms(r50)} / p99 ${ms(r99)}`, `+${ms(m50 - r50)} at p50`, 'p99 < 100 ms; goal p50 < 10 ms');
    const http = await startHttpServer(['--config', config, '--ssh-host', f.host, '--ssh-port', String(f.port), '--ssh-user', f.user, '--ssh-key', f.clientKeyPath, '--log-level', 'warn'],
      { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: f.hostKeyFingerprint });
    try {
      await sseFollow(http.base, 1, () => undefined); // warm
      const viaSse: number[] = [];
      await sseFollow(http.base, SECONDS, (delay) => viaSse.push(delay));
      const [s50, s99] = [percentile(viaSse, 50), percentile(viaSse, 99)];
      out.row('line latency, stand-in → SSE client (GET /apps/{name}/logs/stream)', `${viaSse.length} lines`, `p50 ${ms(s50)} / p99 ${ms(s99)}`,
        `raw SSH stream on an open connection: p50 ${ms(r50)} / p99 ${ms(r99)}`, `+${ms(s50 - r50)} at p50`, 'p99 < 100 ms; goal p50 < 10 ms');
    } finally {
      await http.stop();
    }
    out.note(`Latency is measured from each line's own timestamp (the stand-in writes a line every 50 ms, stamped when due) to its arrival; the stand-in's wake-up delay is in both figures, the baseline shows it. Progress batches leave at most every 25 ms (FOLLOW_BATCH_MS).`);
  } finally {
    await client.close().catch(() => undefined);
    await conn.close();
    await f.stop();
  }
}

/**
 * The stand-in's rate over a raw SSH stream, and `subscribers` concurrent follows of it through the server, each
 * cancelled after `window` seconds (before max_lines: a result of 100 000 lines would pass the SDK client's 10 MB
 * message limit), best of `rounds`.
 */
async function throughputAt(config: string, burst: number, subscribers: number, window: number, rounds: number) {
  const f = await startSshd({ logIntervalMs: 1, logBurst: burst });
  const conn = new SshConnection(sshOptions(f), quiet);
  const { client, pid } = await startServer(f, config);
  try {
    // Both sides are counted the same way: lines received over the span of their own timestamps.
    const raw = new LineRate();
    await rawFollow(conn, SECONDS, (text) => raw.add(timesOfRaw(text)));
    await mcpFollow(client, 1, () => undefined); // warm: connection, follower, JIT
    const runs = [];
    for (let r = 0; r < rounds; r++) runs.push(await followRates(client, subscribers, pid, window));
    runs.sort((a, b) => b.aggregate - a.aggregate);
    const rawRate = raw.perSecond;
    return { rawRate, ...runs[Math.floor(runs.length / 2)]!, peakRss: Math.max(...runs.map((run) => run.peakRss)) };
  } finally {
    await client.close().catch(() => undefined);
    await conn.close();
    await f.stop();
  }
}

async function throughput(out: BenchOutput, config: string): Promise<void> {
  const one = await throughputAt(config, BURST, 1, 2, 3);
  out.row('throughput, 1 subscriber (follow_runtime_logs, stdio)', 'median of 3 × 2 s', `${Math.round(one.perSubscriber)} lines/s`,
    `raw SSH stream: ${Math.round(one.rawRate)} lines/s`, `×${(one.perSubscriber / one.rawRate).toFixed(2)} of the stand-in's rate; ${one.gaps} gap markers`, 'goal ≥ 20 000 lines/s');
  const hundred = await throughputAt(config, HUNDRED_BURST, 100, SECONDS, 1);
  out.row('throughput, 100 subscribers (one stdio session, 100 concurrent follows)', `${SECONDS} s`,
    `${Math.round(hundred.perSubscriber)} lines/s each, ${Math.round(hundred.aggregate)} in all`, `raw SSH stream: ${Math.round(hundred.rawRate)} lines/s`,
    `${hundred.gaps} gap markers (${hundred.missed} lines skipped)`, 'every subscriber keeps up');
  out.row('server RSS with 100 subscribers', `${SECONDS} s at ${Math.round(hundred.rawRate)} lines/s`, `peak ${mb(hundred.peakRss)}`, `before them: ${mb(hundred.idleRss)}`,
    `growth ${mb(hundred.peakRss - hundred.idleRss)}`, 'bounded');
  out.note(`Throughput: the stand-in writes ${BURST} lines every 1 ms for 1 subscriber, ${HUNDRED_BURST} for 100 (all 100 share one stdio pipe to the client). Lines are counted from the progress notifications' text, over the span of the lines' own timestamps (the same for the raw stream); a subscriber that falls behind the app's buffer (logs.runtime.stream_buffer_size) skips lines and is told by a gap marker. Each follow keeps its lines for its result (at most max_lines; the bench raises logs.runtime.max_lines to 100 000, so the 100 follows hold up to ${SECONDS * HUNDRED_BURST * 1000} lines each in the RSS figure).`);
}

async function followRates(client: Client, subscribers: number, pid: number, window: number) {
  const idleRss = rssOf(pid, fs).rss;
  let peakRss = idleRss;
  const sampler = setInterval(() => {
    if (fs.existsSync(`/proc/${pid}`)) peakRss = Math.max(peakRss, rssOf(pid, fs).rss);
  }, 100);
  const stats = Array.from({ length: subscribers }, () => ({ rate: new LineRate(), day: {} as { value?: string }, gaps: 0, missed: 0 }));
  await Promise.all(stats.map((s) => mcpFollow(client, window, (p) => {
    s.rate.add(timesOfText(p.message ?? '', s.day));
    for (const gap of (p.message ?? '').matchAll(/^--- gap: (\d+) lines? missed/gm)) {
      s.gaps += 1;
      s.missed += Number(gap[1]);
    }
  })));
  clearInterval(sampler);
  const rates = stats.map((s) => s.rate.perSecond);
  const aggregate = rates.reduce((a, b) => a + b, 0);
  return {
    perSubscriber: aggregate / subscribers, aggregate, idleRss, peakRss,
    gaps: stats.reduce((a, s) => a + s.gaps, 0), missed: stats.reduce((a, s) => a + s.missed, 0),
  };
}

async function slowSubscriber(out: BenchOutput, config: string): Promise<void> {
  // 1000 lines/s; the subscriber reads the resource (100 lines) once a second: 10× slower than the producer.
  const f = await startSshd({ logIntervalMs: 10, logBurst: 10 });
  const { client, pid } = await startServer(f, config);
  try {
    let updates = 0;
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, () => void (updates += 1));
    await client.subscribeResource({ uri: `dokku://app/${APP}/logs` });
    const samples: number[] = [];
    let missed = 0;
    for (let s = 0; s < SLOW_SECONDS; s++) {
      await sleep(1000);
      const read = await client.readResource({ uri: `dokku://app/${APP}/logs` });
      const text = read.contents.map((c) => ('text' in c ? String(c.text) : '')).join('');
      missed += Number(/^--- gap: (\d+) lines? missed/m.exec(text)?.[1] ?? 0);
      samples.push(rssOf(pid, fs).rss);
    }
    await client.unsubscribeResource({ uri: `dokku://app/${APP}/logs` });
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const tenth = Math.max(1, Math.floor(samples.length / 6));
    const early = avg(samples.slice(0, tenth));
    const late = avg(samples.slice(-tenth));
    out.row(`server RSS, 1 subscriber reading 10× slower than the producer for ${SLOW_SECONDS} s`, `1000 lines/s, 100 read/s`,
      `first ${tenth} s: ${mb(early)}, last ${tenth} s: ${mb(late)}`, `max ${mb(Math.max(...samples))}`,
      `${missed} lines reported missed; ${updates} updates`, 'plateaus');
  } finally {
    await client.close().catch(() => undefined);
    await f.stop();
  }
}

/** A web app's log: mostly access lines, some app messages, a few lines that carry a secret (2 %). */
function realisticLog(bytes: number): string {
  const paths = ['/', '/api/orders', '/api/orders/4711', '/static/app.3f9a1c.js', '/login', '/health', '/api/search?q=blue+shoes', '/account/settings', '/cart', '/api/items/42'];
  const agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'curl/8.5.0', 'kube-probe/1.29'];
  const app = ['cache miss for user 42 profile', 'sent welcome email to user 4711', 'slow query (1.2s): SELECT * FROM orders WHERE user_id = $1', 'job 88412 finished in 120ms', 'upstream payments responded in 340ms'];
  const secrets = ['Connecting to postgres://app:hunter2@db:5432/app', 'calling https://api.example.com with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'config loaded: STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnop'];
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const ts = new Date(1_777_000_000_000 + n * 3).toISOString().replace('Z', `${String((n * 7919) % 1_000_000).padStart(6, '0')}Z`);
    const roll = n % 100;
    const message = roll < 2 ? secrets[n % secrets.length] : roll < 12 ? app[n % app.length]
      : `${n % 7 ? 'GET' : 'POST'} ${paths[n % paths.length]} ${n % 31 ? 200 : 404} ${(n % 997) / 10} ms - ${n % 9000} "${agents[n % agents.length]}"`;
    const line = `\x1b[36m${ts} app[web.${(n % 2) + 1}]:\x1b[0m ${message}\r\n`;
    parts.push(line);
    size += line.length;
  }
  return parts.join('');
}

export function sanitizerRow(out: BenchOutput): void {
  const log = realisticLog(SANITIZER_MB * 1024 * 1024);
  const chunks: string[] = [];
  for (let i = 0; i < log.length; i += 32 * 1024) chunks.push(log.slice(i, i + 32 * 1024)); // as SSH delivers it
  const split = (each: (line: string) => void): void => {
    let partial = '';
    for (const chunk of chunks) {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) each(line);
    }
  };
  const messages: string[] = [];
  split((line) => messages.push(LogLine.parse(line).message));
  const sanitizer = new Sanitizer(['pr0duction-api-key-9f2c', 'another-config-value']);
  const best = (fn: () => void): number => Math.min(...[0, 1, 2].map(() => timeOnce(fn)));
  let lines = 0;
  const splitting = best(() => split(() => void (lines += 1)));
  const redacting = best(() => {
    const redact = sanitizer.lineByLine();
    for (const message of messages) redact(message);
  });
  const parsing = best(() => split((line) => void LogLine.parse(line)));
  out.row(`sanitizer over a ${SANITIZER_MB} MB realistic runtime log`, `${messages.length} lines`, `${ms(redacting)}`, `plain line splitting (32 KB chunks): ${ms(splitting)}`,
    `×${(redacting / splitting).toFixed(1)} of splitting`, '≤ 5× (goal 2×)');
  out.note(`The sanitizer log: access lines, 10 % app messages, 2 % lines with a secret (a database URL, a bearer token, a Stripe key), two containers, Dokku's prefix and colours; the sanitizer runs once per line at the source (AppFollower), over the message. Parsing the lines (LogLine.parse, timestamp, process) costs ${ms(parsing)} on top.`);
}

function timeOnce(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function followedPoll(out: BenchOutput, config: string): Promise<void> {
  const f = await startSshd({ logIntervalMs: 10 });
  const conn = new SshConnection(sshOptions(f), quiet);
  const { client } = await startServer(f, config);
  try {
    const args = { app_name: APP, lines: 100 };
    await client.subscribeResource({ uri: `dokku://app/${APP}/logs` });
    await sleep(2000); // more than 100 lines since the follower started: the buffer provably holds the answer
    await timeEach(10, () => client.callTool({ name: 'get_runtime_logs', arguments: args }));
    f.clearArgvLog();
    const followed = await timeEach(200, () => client.callTool({ name: 'get_runtime_logs', arguments: args }));
    const sshCalls = f.argvLog().filter((argv) => argv[0] === 'logs' && !argv.includes('--tail')).length;
    await timeEach(10, () => conn.exec(`logs '${APP}' --num '100'`, { timeoutMs: 30_000 }));
    const raw = await timeEach(200, () => conn.exec(`logs '${APP}' --num '100'`, { timeoutMs: 30_000 }));
    out.row('get_runtime_logs 100 lines of a followed app', `200 calls; ${sshCalls} SSH commands`, `p50 ${ms(percentile(followed, 50))} / p95 ${ms(percentile(followed, 95))}`,
      `raw exec on an open connection: p50 ${ms(percentile(raw, 50))}`, `×${(percentile(followed, 50) / percentile(raw, 50)).toFixed(2)}`, 'from the buffer only when provably the same');

    const rawText = (await conn.exec(`logs '${APP}' --num '100'`, { timeoutMs: 30_000 })).stdout;
    const rawLines = rawText.split('\n').filter((l) => l !== '');
    const parsed = rawLines.map((l) => LogLine.parse(l));
    const messageBytes = parsed.reduce((sum, line) => sum + Buffer.byteLength(line.message), 0);
    const textBytes = Buffer.byteLength(LogText.ofLines(parsed));
    const rawBytes = Buffer.byteLength(rawText);
    const per = (bytes: number) => ((bytes - messageBytes) / parsed.length).toFixed(1);
    out.row('log text bytes for 100 lines (get_runtime_logs `logs`, resource, follow)', `${parsed.length} lines`, `${textBytes} B: ${per(textBytes)} B/line beyond the message`,
      `raw Dokku output: ${rawBytes} B: ${per(rawBytes)} B/line`, `×${(textBytes / rawBytes).toFixed(2)} of the bytes`, '≤ 24 B/line overhead');
  } finally {
    await client.close().catch(() => undefined);
    await conn.close();
    await f.stop();
  }
}

export async function liveLogRows(out: BenchOutput): Promise<void> {
  const config = benchConfig();
  out.log('bench: live logs — sanitizer …');
  sanitizerRow(out);
  out.log('bench: live logs — latency …');
  await latency(out, config);
  out.log('bench: live logs — throughput, 1 and 100 subscribers …');
  await throughput(out, config);
  out.log(`bench: live logs — a slow subscriber for ${SLOW_SECONDS} s …`);
  await slowSubscriber(out, config);
  out.log('bench: live logs — polling a followed app, text bytes …');
  await followedPoll(out, config);
}

