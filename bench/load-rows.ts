/**
 * The load rows of `make bench` (issue 13): 500 concurrent calls through one stdio client, and 200 from 20 HTTP
 * sessions (10 each), a mix of read tools, all started before any is awaited. Every call must be answered; a refusal
 * is counted by the configured limit it names. SSH channels are counted inside each server (bench/channel-probe.ts);
 * RSS is read from /proc before, during (peak) and after the burst.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SshdFixture } from '../tests/support/sshd-fixture.js';
import { startHttpServer } from '../tests/support/http-server.js';
import { SSH_DEFAULTS } from '../src/adapters/outbound/ssh/ssh-options.js';
import { connectHttp, probeEnv, stop, type Measured, type ProbeCounts } from './http-rows.js';
import { startStdioServer } from './servers.js';
import { mb, ms, percentile, rssOf } from './stats.js';

const STDIO_CALLS = Number(process.env.BENCH_LOAD_STDIO_CALLS ?? 500);
const SESSIONS = Number(process.env.BENCH_LOAD_HTTP_SESSIONS ?? 20);
const PER_SESSION = Number(process.env.BENCH_LOAD_HTTP_PER_SESSION ?? 10);
const SEQUENTIAL = Number(process.env.BENCH_LOAD_SEQUENTIAL ?? 200);
const APP = 'node-js-app';
const LOAD_CONFIG = path.resolve('bench/load-config.yaml');
/** The mix, in turn: call i is MIX[i % 4]. */
const MIX: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['list_apps', {}], ['get_app_status', { app_name: APP }], ['get_runtime_logs', { app_name: APP, lines: 100 }], ['get_app_config', { app_name: APP }],
];
const MIX_NAMES = MIX.map(([name]) => name).join(', ');

interface Outcome {
  readonly tool: string;
  readonly ms: number;
  /** undefined: answered with a result; else why not (a tool error's text or the request's failure). */
  readonly failure?: string;
}

async function timedCall(client: Client, i: number): Promise<Outcome> {
  const [tool, args] = MIX[i % MIX.length]!;
  const start = performance.now();
  try {
    const result = (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
    const took = performance.now() - start;
    if (!result.isError) return { tool, ms: took };
    return { tool, ms: took, failure: result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ') };
  } catch (error) {
    return { tool, ms: performance.now() - start, failure: error instanceof Error ? error.message : String(error) };
  }
}

/** A refusal names the configured limit that made it, "(auth.rate_limit)" as the server words them; else it is a failure. */
function tally(outcomes: readonly Outcome[]): { answered: number; byLimit: Map<string, number>; other: Map<string, number> } {
  const byLimit = new Map<string, number>();
  const other = new Map<string, number>();
  for (const o of outcomes) {
    if (o.failure === undefined) continue;
    const limit = /\((auth|transport|ssh|logs)\.[a-z_.]+\)/.exec(o.failure)?.[0] ?? (/\b429\b/.test(o.failure) ? '(auth.rate_limit: HTTP 429)' : undefined) ??
      // The command timeout counts the wait for a channel: the server words it "no complete answer within N ms".
      (/no complete answer within (\d+) ms/.exec(o.failure) ? `(ssh.command_timeout_ms: ${/within (\d+) ms/.exec(o.failure)![1]} ms, the wait for a channel included)` : undefined);
    const into = limit ? byLimit : other;
    const key = limit ?? o.failure.replace(/\s+/g, ' ').slice(0, 160);
    into.set(key, (into.get(key) ?? 0) + 1);
  }
  return { answered: outcomes.filter((o) => o.failure === undefined).length, byLimit, other };
}

/** One note per row, "none" included, so that a later run of the row replaces it in RESULTS.md. */
const failedNote = (which: string, t: ReturnType<typeof tally>): string =>
  `Not answered in the ${which} load row: ${[...t.byLimit, ...t.other].map(([why, n]) => `${n} × ${why}`).join('; ') || 'none'}`;

const refusedCell = (t: ReturnType<typeof tally>): string => {
  const limited = [...t.byLimit.values()].reduce((a, b) => a + b, 0);
  const other = [...t.other.values()].reduce((a, b) => a + b, 0);
  return `${limited} refused by a configured limit${limited ? ` (${[...t.byLimit].map(([k, n]) => `${n} × ${k}`).join(', ')})` : ''}, ${other} failed otherwise`;
};

const latencyCell = (outcomes: readonly Outcome[]): string => {
  const times = outcomes.filter((o) => o.failure === undefined).map((o) => o.ms);
  return `p50 ${ms(percentile(times, 50))} / p99 ${ms(percentile(times, 99))}`;
};

const perTool = (outcomes: readonly Outcome[]): string =>
  MIX.map(([name]) => {
    const times = outcomes.filter((o) => o.tool === name && o.failure === undefined).map((o) => o.ms);
    return `${name} p50 ${ms(percentile(times, 50))} / p99 ${ms(percentile(times, 99))} (${times.length})`;
  }).join(', ');

/** Peak RSS of `pid` while `work` runs, sampled every 20 ms, with RSS just before and just after it. */
async function withRss<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; before: number; peak: number; after: number; seconds: number }> {
  const before = rssOf(pid, fs).rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid, fs).rss)), 20);
  const start = performance.now();
  const value = await work();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  const after = rssOf(pid, fs).rss;
  return { value, before, peak: Math.max(peak, after), after, seconds };
}

const readProbe = (file: string): ProbeCounts => JSON.parse(fs.readFileSync(file, 'utf8')) as ProbeCounts;
const capCell = (probe: ProbeCounts): string => `max SSH channels in use ${probe.peak} (cap ssh.max_channels ${SSH_DEFAULTS.maxChannels})`;
const sshCommands = (f: SshdFixture): number => f.argvLog().length;

async function stdioBurst(f: SshdFixture, dir: string): Promise<Measured> {
  const probeFile = path.join(dir, 'probe-stdio.json');
  const server = await startStdioServer(f, LOAD_CONFIG, 'dokku-mcp-bench-load', probeEnv(probeFile));
  try {
    for (let i = 0; i < 4 * MIX.length; i++) await timedCall(server.client, i); // warm: connection, JIT
    f.clearArgvLog();
    // All STDIO_CALLS requests are written to the one stdio pipe before any answer is awaited.
    const burst = await withRss(server.pid, () => Promise.all(Array.from({ length: STDIO_CALLS }, (_, i) => timedCall(server.client, i))));
    const commands = sshCommands(f);
    const probe = readProbe(probeFile);
    const sequential: Outcome[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await timedCall(server.client, i));
    const t = tally(burst.value);
    const name = `${STDIO_CALLS} concurrent calls through one stdio client (${MIX_NAMES} in turn)`;
    return {
      rows: [
        [name, `${t.answered}/${STDIO_CALLS} answered; ${refusedCell(t)}`, latencyCell(burst.value),
          `the same mix one call at a time: ${latencyCell(sequential)}`,
          `${capCell(probe)}; all ${STDIO_CALLS} in ${ms(burst.seconds * 1000)} (${(STDIO_CALLS / burst.seconds).toFixed(0)} calls/s)`,
          'all answered; nothing refused beyond the configured limits; never above the cap'],
        [`server RSS, ${STDIO_CALLS} concurrent stdio calls`, `before ${mb(burst.before)}`, `peak ${mb(burst.peak)}`, `after ${mb(burst.after)}`,
          `growth ${mb(burst.peak - burst.before)} at peak, ${mb(burst.after - burst.before)} after`, 'bounded'],
      ],
      notes: [
        `${name}: all ${STDIO_CALLS} requests written before any answer is awaited; the server runs under bench/load-config.yaml, set so that all are within its limits: auth.rate_limit lifted (under the default, burst 30, all but 30 would be refused, each naming auth.rate_limit) and ssh.command_timeout_ms 120 s (the default 30 s counts the wait for a channel, and ${STDIO_CALLS} calls queued on ${SSH_DEFAULTS.maxChannels} channels of a busy shared machine can pass it). ` +
          `${commands} SSH commands for the ${STDIO_CALLS} calls; latency is each call's own, queueing for one of the ${SSH_DEFAULTS.maxChannels} channels included. Per tool: ${perTool(burst.value)}.`,
        failedNote('stdio', t),
      ],
    };
  } finally {
    await server.client.close().catch(() => undefined);
  }
}

async function httpBurst(f: SshdFixture, dir: string): Promise<Measured> {
  const probeFile = path.join(dir, 'probe-http.json');
  // The default configuration: its limits (auth.rate_limit burst 30 per session, max_sessions_per_tenant 20) admit it.
  const server = await startHttpServer(
    ['--ssh-host', f.host, '--ssh-port', String(f.port), '--ssh-user', f.user, '--ssh-key', f.clientKeyPath, '--log-level', 'warn'],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: f.hostKeyFingerprint, ...probeEnv(probeFile) },
  );
  try {
    const clients = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => connectHttp(server.url, `dokku-mcp-bench-load-${i}`)));
    try {
      await Promise.all(clients.map(async (c) => {
        for (let i = 0; i < MIX.length; i++) await timedCall(c, i); // warm: one of each tool per session
      }));
      f.clearArgvLog();
      const total = SESSIONS * PER_SESSION;
      const burst = await withRss(server.child.pid as number, () =>
        Promise.all(clients.flatMap((c, s) => Array.from({ length: PER_SESSION }, (_, i) => timedCall(c, s * PER_SESSION + i)))));
      const commands = sshCommands(f);
      const probe = readProbe(probeFile);
      // The baseline: the same calls one at a time, each session in turn (so no session passes its own rate limit).
      const sequential: Outcome[] = [];
      for (let i = 0; i < Math.min(SEQUENTIAL, total); i++) sequential.push(await timedCall(clients[i % SESSIONS]!, i));
      const t = tally(burst.value);
      const name = `${SESSIONS} HTTP sessions × ${PER_SESSION} concurrent calls (${MIX_NAMES} in turn)`;
      return {
        rows: [
          [name, `${t.answered}/${total} answered; ${refusedCell(t)}`, latencyCell(burst.value),
            `the same mix one call at a time: ${latencyCell(sequential)}`,
            `${capCell(probe)}; all ${total} in ${ms(burst.seconds * 1000)} (${(total / burst.seconds).toFixed(0)} calls/s)`,
            'all answered; nothing refused beyond the configured limits; never above the cap'],
          [`server RSS, ${total} concurrent calls from ${SESSIONS} HTTP sessions`, `before ${mb(burst.before)}`, `peak ${mb(burst.peak)}`, `after ${mb(burst.after)}`,
            `growth ${mb(burst.peak - burst.before)} at peak, ${mb(burst.after - burst.before)} after`, 'bounded'],
        ],
        notes: [
          `${name}: all ${SESSIONS * PER_SESSION} started before any is awaited, on the default configuration — no config file: each session's auth.rate_limit (burst 30, 120 a minute) takes its 4 warm-up calls, its ${PER_SESSION} and its share of the baseline, ` +
            `and auth.max_sessions_per_tenant (20) admits the ${SESSIONS} sessions. ${commands} SSH commands for the ${total} calls. Per tool: ${perTool(burst.value)}.`,
          failedNote('HTTP', t),
        ],
      };
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    }
  } finally {
    await stop(server);
  }
}

/** Both load rows (and their RSS rows), against `fixture`, one server after the other. */
export async function loadRows(fixture: SshdFixture): Promise<Measured> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dokku-mcp-bench-load-'));
  const a = await stdioBurst(fixture, dir);
  const b = await httpBurst(fixture, dir);
  return { rows: [...a.rows, ...b.rows], notes: [...a.notes, ...b.notes] };
}
