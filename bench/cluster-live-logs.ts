/**
 * The live-log rows of issue 12 in `make bench`: a line's delay from the stand-in to an SSE client when two instances
 * share one Redis — on the instance that follows the app (its lease holder: stand-in → SSH → follower → XADD → its own
 * reader → SSE) and on the other one (→ that instance's reader → SSE) — beside one instance with store.type memory
 * (stand-in → SSH → follower → SSE), all against one sshd fixture in one run.
 */
import { startHttpServer, type HttpServer } from '../tests/support/http-server.js';
import { startRedis } from '../tests/support/redis-fixture.js';
import { startSshd, type SshdFixture } from '../tests/support/sshd-fixture.js';
import { sseFollow } from './live-logs.js';
import { ms, percentile } from './stats.js';

const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 8);
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

function server(f: SshdFixture, config: string, store: string[], env: Record<string, string> = {}): Promise<HttpServer> {
  return startHttpServer(
    ['--config', config, '--ssh-host', f.host, '--ssh-port', String(f.port), '--ssh-user', f.user, '--ssh-key', f.clientKeyPath, '--log-level', 'warn', ...store],
    { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: f.hostKeyFingerprint, ...env },
  );
}

export async function clusterLiveLogRows(config: string): Promise<{ rows: string[][]; notes: string[] }> {
  // A line every 50 ms: each one on its own, so the figure is the path's delay, not batching.
  const [f, redis] = await Promise.all([startSshd({ logIntervalMs: 50 }), startRedis()]);
  const servers: HttpServer[] = [];
  try {
    const memory = await server(f, config, []);
    servers.push(memory);
    await sseFollow(memory.base, 1, () => undefined); // warm: connection, follower, JIT
    const alone: number[] = [];
    await sseFollow(memory.base, SECONDS, (delay) => alone.push(delay));
    await memory.stop();

    const shared = ['--store', 'redis', '--redis-url', redis.url];
    const [a, b] = await Promise.all([server(f, config, shared), server(f, config, shared)]);
    servers.push(a, b);
    // A joins first and takes the app's lease: A follows, B reads the Redis stream.
    const warmA = sseFollow(a.base, 2, () => undefined);
    await sleep(300);
    await Promise.all([warmA, sseFollow(b.base, 1.5, () => undefined)]);
    const onHolder: number[] = [];
    const onOther: number[] = [];
    const holderRun = sseFollow(a.base, SECONDS + 1, (delay) => onHolder.push(delay)); // stays a subscriber throughout
    await sleep(300);
    await Promise.all([holderRun, sseFollow(b.base, SECONDS, (delay) => onOther.push(delay))]);
    const fig = (xs: number[]) => `p50 ${ms(percentile(xs, 50))} / p99 ${ms(percentile(xs, 99))}`;
    const base = `store.type memory, one instance: ${fig(alone)}`;
    const plus = (xs: number[]) => `+${ms(percentile(xs, 50) - percentile(alone, 50))} at p50, +${ms(percentile(xs, 99) - percentile(alone, 99))} at p99`;
    const rows = [
      ['line latency over Redis, stand-in → SSE client on the follower\'s instance', `${onHolder.length} lines`, fig(onHolder), base, plus(onHolder), 'p99 < 100 ms'],
      ['line latency over Redis, stand-in → SSE client on another instance', `${onOther.length} lines`, fig(onOther), base, plus(onOther), 'p99 < 100 ms'],
    ];
    const notes = [
      'Live logs over Redis: two instances (store.type redis, one redis-server on loopback) and one app; the instance that joined first holds ' +
        'the app\'s lease and runs the one `logs --tail`, appending each line to the app\'s Redis stream (XADD MAXLEN ~); each instance reads ' +
        'the stream once (XREAD BLOCK on a connection of its own) and fans out to its SSE clients, so both rows pass through Redis. ' +
        'Delay from each line\'s own timestamp to its arrival, as in the single-instance rows.',
    ];
    return { rows, notes };
  } finally {
    await Promise.all(servers.map((s) => s.stop().catch(() => null)));
    await Promise.all([f.stop(), redis.dispose()]);
  }
}
