/**
 * `make bench`: figures measured side by side in one run against the sshd fixture (real OpenSSH + Dokku stand-in).
 * Prints a table and writes bench/RESULTS.md. Never a pass/fail test: targets are shown beside the figures.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startSshd, type SshdFixture } from '../tests/support/sshd-fixture.js';
import { createSshDokkuAdapters } from '../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { SshConnection } from '../src/adapters/outbound/ssh/ssh-connection.js';
import { SSH_DEFAULTS, type SshOptions } from '../src/adapters/outbound/ssh/ssh-options.js';
import { Sanitizer } from '../src/domain/sanitizer.js';
import type { Logger } from '../src/ports/logger.port.js';
import { BENCH_CONFIG, httpRows } from './http-rows.js';
import { clusterLiveLogRows } from './cluster-live-logs.js';
import { benchConfig, liveLogRows } from './live-logs.js';
import { storeRows } from './store-rows.js';
import { loadRows } from './load-rows.js';
import { machine, mergeRows, soakSectionOf } from './results-file.js';
import { startStdioServer } from './servers.js';
import { machineLoadMeter, mb, ms, percentile, rssOf, signedMs, timeEach } from './stats.js';

const run = promisify(execFile);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 50);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const RESULTS = 'bench/RESULTS.md';
const rows: string[][] = [];
const STANDIN_NOTE =
  'Pure reads (apps:list, logs without --tail, reports) are answered by the stand-in\'s resident fast path, byte-identical ' +
  'to running it as a new process (tests/fixtures/dokku-standin-daemon.test.ts proves it); deploys and writes start a new process per command.';
const notes: string[] = [];
const row = (...cells: string[]): void => void rows.push(cells);
const log = (text: string): void => void process.stderr.write(`${text}\n`);

function sshOptions(f: SshdFixture): SshOptions {
  return { ...SSH_DEFAULTS, host: f.host, port: f.port, user: f.user, keyPath: f.clientKeyPath, hostKeyFingerprint: f.hostKeyFingerprint };
}

// The calls come back to back, far past the default rate limit (auth.rate_limit): the bench config lifts it.
const startServer = (f: SshdFixture) => startStdioServer(f, BENCH_CONFIG, 'dokku-mcp-bench');

async function pollLatency(f: SshdFixture, client: Client, conn: SshConnection): Promise<void> {
  const sshArgs = ['-i', f.clientKeyPath, '-p', String(f.port), '-o', `UserKnownHostsFile=${f.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', `${f.user}@${f.host}`, '--', 'apps:list'];
  await timeEach(10, () => client.callTool({ name: 'list_apps', arguments: {} }));
  const viaServer = await timeEach(CALLS, () => client.callTool({ name: 'list_apps', arguments: {} }));
  const sshPerCall = await timeEach(CALLS, () => run('ssh', sshArgs));
  const floor = await timeEach(CALLS, () => conn.exec('apps:list', { timeoutMs: 30_000 }));
  const [a50, a95, b50, b95] = [percentile(viaServer, 50), percentile(viaServer, 95), percentile(sshPerCall, 50), percentile(sshPerCall, 95)];
  row('list_apps via dokku-mcp (stdio)', `${CALLS} calls`, `p50 ${ms(a50)} / p95 ${ms(a95)}`,
    `ssh client spawned per call: p50 ${ms(b50)} / p95 ${ms(b95)}`, `${(b50 / a50).toFixed(1)}× faster at p50`, '≥ 5× faster at p50');
  notes.push(
    `Where list_apps time goes: the stand-in's own run time on the host (apps:list exec'd on an already open connection) is p50 ${ms(percentile(floor, 50))}; ` +
      `dokku-mcp adds ${ms(a50 - percentile(floor, 50))} on top of it, the per-call ssh client adds ${ms(b50 - percentile(floor, 50))} (process start, key exchange, authentication).`,
  );

  const args = { app_name: 'node-js-app', lines: 100 };
  await timeEach(10, () => client.callTool({ name: 'get_runtime_logs', arguments: args }));
  const logsServer = await timeEach(CALLS, () => client.callTool({ name: 'get_runtime_logs', arguments: args }));
  await timeEach(10, () => conn.exec("logs 'node-js-app' --num '100'", { timeoutMs: 30_000 }));
  const logsRaw = await timeEach(CALLS, () => conn.exec("logs 'node-js-app' --num '100'", { timeoutMs: 30_000 }));
  const [l50, l95, r50, r95] = [percentile(logsServer, 50), percentile(logsServer, 95), percentile(logsRaw, 50), percentile(logsRaw, 95)];
  row('get_runtime_logs 100 lines via dokku-mcp', `${CALLS} calls`, `p50 ${ms(l50)} / p95 ${ms(l95)}`,
    `raw exec on an open connection: p50 ${ms(r50)} / p95 ${ms(r95)}`, `${signedMs(l50 - r50)} at p50 (×${(l50 / r50).toFixed(2)})`, '≤ +5 ms at p50');
}

async function buildLogCapture(client: Client, pid: number, conn: SshConnection): Promise<void> {
  const repo = `https://example.com/big-${BIG_MB}mb.git`;
  // Floor: the same stand-in deploy streamed over an open connection, bytes counted and dropped.
  await conn.exec("apps:create 'bench-raw'", { timeoutMs: 30_000 });
  let rawBytes = 0;
  const rawStart = performance.now();
  const raw = await conn.stream(`git:sync --build bench-raw ${repo}`, { onStdout: (t) => (rawBytes += t.length), onStderr: (t) => (rawBytes += t.length), longLived: true });
  await raw.done;
  const rawSeconds = (performance.now() - rawStart) / 1000;

  await client.callTool({ name: 'create_app', arguments: { app_name: 'bench-big' } });
  const idle = rssOf(pid, fs);
  let peak = idle.rss;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid, fs).rss)), 10);
  const start = performance.now();
  const started = await client.callTool({ name: 'deploy_app', arguments: { app_name: 'bench-big', repo_url: repo } });
  const id = (started.structuredContent as { deployment_id: string }).deployment_id;
  let status = 'running';
  let logSize = 0;
  while (status === 'running' || status === 'pending') {
    await new Promise((r) => setTimeout(r, 20));
    const s = (await client.callTool({ name: 'get_deployment_status', arguments: { deployment_id: id } })).structuredContent as { status: string; log_size: number };
    status = s.status;
    logSize = s.log_size;
  }
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(pid, fs).rss);
  const growth = peak - idle.rss;
  row(`build-log capture, ${BIG_MB} MB deploy via dokku-mcp`, `status ${status}`, `${(rawBytes / 1048576 / seconds).toFixed(1)} MB/s`,
    `raw stream, no capture: ${(rawBytes / 1048576 / rawSeconds).toFixed(1)} MB/s`, `×${(rawSeconds / seconds).toFixed(2)} of the floor`, 'captured as it arrives');
  row('server RSS during that deploy', `idle ${mb(idle.rss)}`, `peak ${mb(peak)}`, `growth ${mb(growth)}`, `${mb(logSize)} written, 10 MB kept`,
    'growth < cap 10 MB + 50 MB');
  notes.push(`The build-log figure counts ${mb(rawBytes)} of stand-in output from the deploy call until get_deployment_status reports the end (polled every 20 ms).`);
}

async function multiplexing(f: SshdFixture): Promise<void> {
  const adapters = createSshDokkuAdapters(sshOptions(f), { sanitizer: new Sanitizer(), logger: quiet });
  await adapters.apps.list();
  const sequential = await timeEach(1, async () => {
    for (let i = 0; i < 50; i++) await adapters.apps.list();
  });
  const start = performance.now();
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => adapters.apps.list()));
  const concurrent = performance.now() - start;
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  row('50 concurrent apps:list on one connection', `${ok}/50 succeeded`, `${ms(concurrent)} total`, `50 sequential: ${ms(sequential[0] as number)}`,
    `max channels in use ${adapters.connection.maxChannelsSeen} (cap ${SSH_DEFAULTS.maxChannels}); connections opened ${adapters.connection.connections}`, 'all succeed; never above the cap');
  await adapters.connection.close();
}

/** Runs one phase of the benchmark; its rows get the machine's load over that phase beside their figures. */
async function phase(name: string, measure: () => Promise<void>): Promise<void> {
  log(`bench: ${name} …`);
  const first = rows.length;
  const load = machineLoadMeter(fs, os.loadavg, os.cpus().length);
  await measure();
  const seen = load();
  for (const r of rows.slice(first)) r.push(seen);
}

function table(): string {
  const head = ['measure', 'n / state', 'dokku-mcp', 'baseline (same run)', 'ratio / figure', 'target', 'machine load (same phase)'];
  const lines = [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** The live-log rows over Redis (two instances, one follower), on fixtures of their own. */
const clusterLiveLogs = () =>
  phase('live logs over Redis', async () => {
    const measured = await clusterLiveLogRows(benchConfig());
    rows.push(...measured.rows);
    notes.push(...measured.notes);
  });

/**
 * BENCH_ONLY=load,http (phase names: poll, build-log, multiplexing, http, store, load, cluster-live-logs, live) runs only those phases
 * and merges their rows and notes into bench/RESULTS.md, the other rows left as they were; unset, every phase runs and
 * the file is rewritten (its soak section, written by `make soak`, kept).
 */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''));
const PHASES = ['poll', 'build-log', 'multiplexing', 'http', 'store', 'load', 'cluster-live-logs', 'live'];
const wanted = (name: string): boolean => ONLY.size === 0 || ONLY.has(name);

async function main(): Promise<void> {
  const unknown = [...ONLY].filter((p) => !PHASES.includes(p));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown phase ${unknown.join(', ')}; the phases are ${PHASES.join(', ')}`);
  const measured = async (run: () => Promise<{ rows: string[][]; notes: string[] }>): Promise<void> => {
    const m = await run();
    rows.push(...m.rows);
    notes.push(...m.notes);
  };
  const fixture = await startSshd({ deployStepMs: 1 });
  const conn = new SshConnection(sshOptions(fixture), quiet);
  const { client, pid } = await startServer(fixture);
  try {
    if (wanted('poll')) await phase('poll latency', () => pollLatency(fixture, client, conn));
    if (wanted('build-log')) await phase('build-log capture', () => buildLogCapture(client, pid, conn));
    if (wanted('multiplexing')) await phase('multiplexing', () => multiplexing(fixture));
    if (wanted('http')) await phase('HTTP', () => measured(() => httpRows(fixture, { client, pid }, CALLS)));
    if (wanted('store')) await phase('deployment store', () => measured(() => storeRows()));
    if (wanted('load')) await phase('load: 500 calls over stdio, 200 from 20 HTTP sessions', () => measured(() => loadRows(fixture)));
    if (process.env.BENCH_LIVE !== '0' && wanted('cluster-live-logs')) await clusterLiveLogs();
  } finally {
    await client.close().catch(() => undefined);
    await conn.close();
    await fixture.stop();
  }
  // After the rows above, on fixtures of their own: they never share a host with the figures above.
  if (process.env.BENCH_LIVE !== '0' && wanted('live')) await liveLogRows({ row, note: (text) => void notes.push(text), log });
  if (ONLY.size > 0) {
    const when = `Measured by \`make bench BENCH_ONLY=${[...ONLY].join(',')}\` on ${new Date().toISOString()}`;
    const merged = mergeRows(fs.readFileSync(RESULTS, 'utf8'), rows, [...notes, `${when}: ${rows.map((r) => r[0]).join('; ')} (the other rows are from the run named at the top)`]);
    fs.writeFileSync(RESULTS, merged);
    process.stdout.write(`${table()}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
    return;
  }
  const soak = soakSectionOf(RESULTS);
  const report = [
    '# Benchmark results',
    '',
    `Measured by \`make bench\` on ${new Date().toISOString()} — ${machine()}.`,
    'Every figure and its baseline come from the same run, against the sshd fixture on 127.0.0.1 (OpenSSH + the Dokku stand-in).',
    `The machine is shared: the benchmark client, both servers, sshd and the stand-in all run on its ${os.cpus().length} cores, beside whatever else runs there ` +
      '(other builds and test runs included). The last column is the share of all cores busy during each row\'s phase, counting every process on the ' +
      'machine, and the 1-minute load average at its end; a busy machine lengthens the tails (p95, p99) first.',
    '',
    table(),
    '',
    ...notes.map((n) => `- ${n}`),
    `- ${STANDIN_NOTE}`,
    '',
    ...(soak ? [soak] : []),
  ].join('\n');
  fs.writeFileSync(RESULTS, report);
  process.stdout.write(`${report}\n`);
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
