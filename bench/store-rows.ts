/**
 * The deployment store rows of `make bench` (issue 12): store.type memory beside redis in one run, through the
 * DeploymentStore port as the use cases use it — deployment status reads (get by id) and build-log appends (a line
 * appended and the change reported, as the runner does for each chunk of a deploy's output). Redis is a real
 * redis-server on loopback (tests/support/redis-fixture.ts), started for these rows.
 */
import { InMemoryDeploymentStore } from '../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { RedisConnection } from '../src/adapters/outbound/redis/redis-connection.js';
import { RedisDeploymentStore } from '../src/adapters/outbound/redis/redis-deployment-store.adapter.js';
import { SystemClock } from '../src/adapters/outbound/system/system-clock.adapter.js';
import { AppName } from '../src/domain/app-name.js';
import { BuildLog } from '../src/domain/build-log.js';
import { Deployment } from '../src/domain/deployment.js';
import type { DeploymentStore } from '../src/ports/deployment-store.port.js';
import type { Logger } from '../src/ports/logger.port.js';
import { startRedis } from '../tests/support/redis-fixture.js';
import { mb } from './stats.js';

const READS = Number(process.env.BENCH_STORE_READS ?? 5_000);
const LINES = Number(process.env.BENCH_STORE_LINES ?? 50_000);
const KEPT = 200; // logs.build.max_deployments: the store full, as a busy installation's is
const CAP = 10 * 1024 * 1024;
const LINE = `-----> Installing dependencies: added 112 packages, and audited 113 packages in 3s ${'.'.repeat(20)}\n`; // 105 bytes
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface Measured {
  readonly rows: string[][];
  readonly notes: string[];
}

let counter = 0;
function deployment(): Deployment {
  const d = new Deployment({
    id: Deployment.newId(`bench${(++counter).toString(36).padStart(8, '0')}`),
    app: AppName.of('node-js-app'),
    kind: 'deploy',
    source: { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' },
    createdAt: new Date(),
  });
  d.start(new Date());
  return d;
}

/** Status reads: sequential (one caller) and 32 at once (many sessions); reads/s of each. */
async function statusReads(store: DeploymentStore): Promise<{ sequential: number; concurrent: number }> {
  const ids: string[] = [];
  for (let i = 0; i < KEPT; i++) {
    const d = deployment();
    const log = new BuildLog({ maxBytes: CAP });
    log.append(LINE.repeat(50));
    await store.add(d, log);
    ids.push(d.key);
  }
  const read = async (i: number) => {
    if (!(await store.get(ids[i % ids.length] as string))) throw new Error('a stored deployment was not found');
  };
  for (let i = 0; i < 200; i++) await read(i); // warm-up
  let start = performance.now();
  for (let i = 0; i < READS; i++) await read(i);
  const sequential = READS / ((performance.now() - start) / 1000);
  start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < READS) await read(next++);
  }));
  return { sequential, concurrent: READS / ((performance.now() - start) / 1000) };
}

/**
 * Build-log appends as the runner makes them: each line appended and the change reported without waiting (the runner
 * never waits on the store), until every line is stored; then lines/s and MB/s, and the log as a reader sees it.
 */
async function logAppends(store: DeploymentStore): Promise<{ linesPerSecond: number; bytesPerSecond: number; size: number }> {
  const d = deployment();
  const log = new BuildLog({ maxBytes: CAP });
  await store.add(d, log);
  const start = performance.now();
  let last: Promise<void> = Promise.resolve();
  for (let i = 0; i < LINES; i++) {
    log.append(LINE);
    last = store.changed(d);
    if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // output arrives in chunks, between which I/O runs
  }
  await last;
  const seconds = (performance.now() - start) / 1000;
  const read = await store.readLog(d.key, 0);
  if (read.nextOffset !== log.size) throw new Error(`the store holds ${read.nextOffset} bytes, the log ${log.size}`);
  return { linesPerSecond: LINES / seconds, bytesPerSecond: log.size / seconds, size: log.size };
}

export async function storeRows(): Promise<Measured> {
  const redis = await startRedis();
  const connection = new RedisConnection({ url: redis.url, keyPrefix: 'bench:' }, quiet);
  const retention = { retentionMs: 300_000, maxDeployments: KEPT + 10 };
  const memory = new InMemoryDeploymentStore(new SystemClock(), retention);
  const shared = new RedisDeploymentStore(connection, { ...retention, maxLogBytes: CAP }, quiet);
  try {
    await connection.connect();
    const [memReads, redisReads] = [await statusReads(memory), await statusReads(shared)];
    const [memAppends, redisAppends] = [await logAppends(memory), await logAppends(shared)];
    const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
    const rows = [
      ['deployment status reads (DeploymentStore.get)', `${READS} reads of ${KEPT} kept`, `redis: ${fmt(redisReads.sequential)} one at a time, ${fmt(redisReads.concurrent)} 32 at once`,
        `memory: ${fmt(memReads.sequential)} one at a time, ${fmt(memReads.concurrent)} 32 at once`, `redis/memory ×${(redisReads.concurrent / memReads.concurrent).toFixed(3)} (32 at once)`,
        'side by side (no target)'],
      ['build-log appends (a line appended, the change reported)', `${LINES} lines of ${LINE.length} B`,
        `redis: ${fmt(redisAppends.linesPerSecond)} (${mb(redisAppends.bytesPerSecond)}/s)`, `memory: ${fmt(memAppends.linesPerSecond)} (${mb(memAppends.bytesPerSecond)}/s)`,
        `redis/memory ×${(redisAppends.linesPerSecond / memAppends.linesPerSecond).toFixed(3)}`, 'side by side (no target)'],
    ];
    const notes = [
      `Deployment store rows: the same port and calls against store.type memory and redis (a redis-server ${redis.url.replace(/:\d+$/, '')} on loopback, the Lua scripts of ` +
        'src/adapters/outbound/redis/redis-deployment-scripts.ts); a read is one script call returning the record; an append is the runner\'s ' +
        `pattern, so while one write is in flight the lines after it are coalesced into the next (${mb(redisAppends.size)} written, the log read back whole by offset to check it).`,
    ];
    return { rows, notes };
  } finally {
    await shared.close();
    await connection.close();
    memory.stopSweeping();
    await redis.dispose();
  }
}
