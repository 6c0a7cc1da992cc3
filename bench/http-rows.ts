/**
 * The HTTP rows of `make bench` (issue 7): list_apps over Streamable HTTP beside stdio on the same host, and 20
 * sessions × 10 concurrent calls with the SSH channels counted inside the server (bench/channel-probe.ts). The server
 * is the built one in HTTP mode against the same sshd fixture as the other rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { descendants, type SshdFixture } from '../tests/support/sshd-fixture.js';
import { startHttpServer, type HttpServer } from '../tests/support/http-server.js';
import { SSH_DEFAULTS } from '../src/adapters/outbound/ssh/ssh-options.js';
import { cpuSecondsOf, ms, percentile, signedMs } from './stats.js';

const SESSIONS = Number(process.env.BENCH_HTTP_SESSIONS ?? 20);
const PER_SESSION = Number(process.env.BENCH_HTTP_PER_SESSION ?? 10);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const PROBE = path.resolve('.bench-build/bench/channel-probe.js');

/** The environment that loads bench/channel-probe.ts into a server, its counts going to `file`. */
export const probeEnv = (file: string): Record<string, string> => ({ NODE_OPTIONS: `--import ${pathToFileURL(PROBE).href}`, BENCH_CHANNEL_PROBE_OUT: file });
/** Lifts the per-session rate limit (auth.rate_limit), which would otherwise refuse a benchmark's hundreds of calls. */
export const BENCH_CONFIG = path.resolve('bench/bench-config.yaml');

export interface Measured {
  readonly rows: string[][];
  readonly notes: string[];
}

export interface ProbeCounts {
  open: number;
  peak: number;
  opened: number;
  failed: number;
  closed: number;
}

const listApps = { name: 'list_apps', arguments: {} };

/** One list_apps call; throws on a tool error (a figure over failed calls would mean nothing). */
async function timedListApps(client: Client): Promise<number> {
  const start = performance.now();
  const result = await client.callTool(listApps);
  const took = performance.now() - start;
  if (result.isError) throw new Error(`list_apps failed: ${JSON.stringify(result.content)}`);
  return took;
}

export async function connectHttp(url: string, name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** CPU seconds used by the host side: sshd (its connection processes and the forced commands they reaped) and the stand-in daemon. */
function hostSideCpu(f: SshdFixture): number {
  const pidFile = path.join(path.dirname(f.stateDir), 'sshd.pid');
  const sshd = Number(fs.readFileSync(pidFile, 'utf8').trim());
  const sshdTree = [sshd, ...descendants(sshd)].reduce((sum, pid) => sum + cpuSecondsOf(pid, fs, true), 0);
  return sshdTree + (f.daemon ? cpuSecondsOf(f.daemon.pid, fs) : 0);
}

/** CPU seconds of the processes in the run, read before and after a phase. */
function cpuSnapshot(f: SshdFixture, httpPid: number, stdioPid: number): Record<'http' | 'stdio' | 'host' | 'bench', number> {
  const self = process.cpuUsage();
  return { http: cpuSecondsOf(httpPid, fs), stdio: cpuSecondsOf(stdioPid, fs), host: hostSideCpu(f), bench: (self.user + self.system) / 1e6 };
}

function cpuNote(what: string, seconds: number, calls: { http: number; host: number }, before: ReturnType<typeof cpuSnapshot>, after: ReturnType<typeof cpuSnapshot>): string {
  const d = (k: keyof typeof before): string => `${(after[k] - before[k]).toFixed(2)} s`;
  const offered = seconds * os.cpus().length;
  const used = (Object.keys(before) as Array<keyof typeof before>).reduce((sum, k) => sum + after[k] - before[k], 0);
  return `CPU used during ${what} (${seconds.toFixed(1)} s wall × ${os.cpus().length} cores = ${offered.toFixed(1)} CPU-seconds offered, shared with anything else on the machine): ` +
    `HTTP server ${d('http')}, stdio server ${d('stdio')}, host side (sshd, forced commands, stand-in daemon) ${d('host')}, benchmark clients ${d('bench')}; ` +
    `${((used / offered) * 100).toFixed(0)}% of what the cores offered went to this run's own processes. ` +
    `Per call: ${ms(((after.http - before.http) * 1000) / calls.http)} of HTTP-server CPU, ${ms(((after.host - before.host) * 1000) / calls.host)} of host-side CPU.`;
}

async function sideBySide(server: HttpServer, stdio: Client, calls: number, cpu: () => ReturnType<typeof cpuSnapshot>): Promise<Measured> {
  const http = await connectHttp(server.url, 'dokku-mcp-bench-http');
  try {
    for (let i = 0; i < 10; i++) {
      await timedListApps(http);
      await timedListApps(stdio);
    }
    const before = cpu();
    const start = performance.now();
    const viaHttp: number[] = [];
    const viaStdio: number[] = [];
    // Interleaved, first one then the other in turn: both see the same machine load and the same host state.
    for (let i = 0; i < calls; i++) {
      if (i % 2 === 0) {
        viaHttp.push(await timedListApps(http));
        viaStdio.push(await timedListApps(stdio));
      } else {
        viaStdio.push(await timedListApps(stdio));
        viaHttp.push(await timedListApps(http));
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const after = cpu();
    const [h50, h95, s50, s95] = [percentile(viaHttp, 50), percentile(viaHttp, 95), percentile(viaStdio, 50), percentile(viaStdio, 95)];
    return {
      rows: [[
        'list_apps via dokku-mcp (Streamable HTTP)', `${calls} calls, interleaved with stdio`, `p50 ${ms(h50)} / p95 ${ms(h95)}`,
        `stdio, same host and run: p50 ${ms(s50)} / p95 ${ms(s95)}`, `HTTP/stdio ×${(h50 / s50).toFixed(2)} at p50 (${signedMs(h50 - s50)}), ×${(h95 / s95).toFixed(2)} at p95`,
        'side by side (no target)',
      ]],
      notes: [cpuNote('the HTTP-vs-stdio row', seconds, { http: calls, host: 2 * calls }, before, after)],
    };
  } finally {
    await http.close().catch(() => undefined);
  }
}

/** The row waits for the probe's final counts, written when the server exits: hence a function of them. */
async function concurrent(server: HttpServer, cpu: () => ReturnType<typeof cpuSnapshot>): Promise<(probe: ProbeCounts) => Measured> {
  const clients = await Promise.all(Array.from({ length: SESSIONS }, (_, i) => connectHttp(server.url, `dokku-mcp-bench-${i}`)));
  try {
    const before = cpu();
    const start = performance.now();
    const latencies: number[] = [];
    const roundsMs: number[] = [];
    const failures = new Map<string, number>();
    let answered = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const roundStart = performance.now();
      // All calls of the round are started before any is awaited: SESSIONS × PER_SESSION requests in flight at once.
      const calls = clients.flatMap((client) => Array.from({ length: PER_SESSION }, () => timedListApps(client)));
      for (const outcome of await Promise.allSettled(calls)) {
        if (outcome.status === 'fulfilled') {
          answered++;
          latencies.push(outcome.value);
        } else {
          const why = String(outcome.reason instanceof Error ? outcome.reason.message : outcome.reason).slice(0, 160);
          failures.set(why, (failures.get(why) ?? 0) + 1);
        }
      }
      roundsMs.push(performance.now() - roundStart);
    }
    const seconds = (performance.now() - start) / 1000;
    const after = cpu();
    const total = SESSIONS * PER_SESSION * ROUNDS;
    const cap = SSH_DEFAULTS.maxChannels;
    const meanRound = roundsMs.reduce((a, b) => a + b, 0) / roundsMs.length;
    return (probe) => ({
      rows: [[
        `${SESSIONS} HTTP sessions × ${PER_SESSION} concurrent list_apps`, `${answered}/${total} answered (${ROUNDS} rounds)`,
        `p50 ${ms(percentile(latencies, 50))} / p99 ${ms(percentile(latencies, 99))}`,
        `round of ${SESSIONS * PER_SESSION}: ${ms(meanRound)} mean (${((SESSIONS * PER_SESSION) / (meanRound / 1000)).toFixed(0)} calls/s)`,
        `max SSH channels in use ${probe.peak} (cap ssh.max_channels ${cap})`, 'all answered; never above the cap',
      ]],
      notes: [
        `${SESSIONS} sessions × ${PER_SESSION} concurrent list_apps: the ${SESSIONS * PER_SESSION} calls of a round all start at once, ${ROUNDS} rounds; latency is each call's own, queueing for an SSH channel included. ` +
          `SSH channels are counted inside the HTTP server process by bench/channel-probe.ts (loaded with NODE_OPTIONS=--import; it wraps ssh2's Client#exec until each channel's close, below the server's own channel accounting): ` +
          `${probe.opened} channels opened in the server's life, ${probe.closed} closed, ${probe.failed} opens refused by sshd and tried again by the server in the same slot ` +
          '(sshd frees a closed session only on its next cleanup pass; an open counts from its request, so refused ones count too), ' +
          `peak ${probe.peak} at once. The fixture's sshd allows MaxSessions 10. ` +
          'The Dokku stand-in host runs on the same cores as the server, so a round takes as long as the host side needs the CPU for ' +
          'its 200 commands (next note), more than the channel cap alone would make it.',
        cpuNote('the concurrency row', seconds, { http: answered, host: answered }, before, after),
        ...[...failures].map(([why, n]) => `Unanswered in the concurrency row: ${n} × ${why}`),
      ],
    });
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  }
}

export async function stop(server: HttpServer): Promise<void> {
  const code = await server.stop();
  if (code !== 0) throw new Error(`the HTTP server exited with ${String(code)}:\n${server.stderr()}`);
}

/** Both HTTP rows, against `fixture`, beside the already running stdio server. */
export async function httpRows(fixture: SshdFixture, stdio: { client: Client; pid: number }, calls: number): Promise<Measured> {
  const probeFile = path.join(fixture.stateDir, '..', 'channel-probe.json');
  const server = await startHttpServer(
    ['--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath,
      '--log-level', 'warn', '--config', BENCH_CONFIG],
    {
      DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint,
      ...probeEnv(probeFile),
    },
  );
  const cpu = () => cpuSnapshot(fixture, server.child.pid as number, stdio.pid);
  try {
    const a = await sideBySide(server, stdio.client, calls, cpu);
    const finish = await concurrent(server, cpu);
    await stop(server);
    const b = finish(JSON.parse(fs.readFileSync(probeFile, 'utf8')) as ProbeCounts);
    return { rows: [...a.rows, ...b.rows], notes: [...a.notes, ...b.notes] };
  } finally {
    await server.stop(); // already stopped unless a phase failed
  }
}
