import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../../../../src/adapters/outbound/redis/redis-connection.js';
import { RedisDeploymentStore } from '../../../../src/adapters/outbound/redis/redis-deployment-store.adapter.js';
import { RedisReleaseHistory } from '../../../../src/adapters/outbound/redis/redis-release-history.adapter.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { BuildLog } from '../../../../src/domain/build-log.js';
import { Deployment } from '../../../../src/domain/deployment.js';
import { DeploymentMother } from '../../../support/mothers/deployment.mother.js';
import { RecordingLogger } from '../../../support/recording-logger.js';
import { startRedis, type RedisFixture } from '../../../support/redis-fixture.js';

/**
 * The Redis deployment store and release history beyond the contract: what they leave in Redis (keys under the prefix,
 * each expiring), and a running deploy's output while Redis does not answer — kept by the writer, written when Redis is
 * back, a gap told where it was more than the writer could keep, the outcome written even after Redis restarted empty.
 */
let redis: RedisFixture;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => { redis = await startRedis(); });
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  redis.resume();
  await redis.start();
});
afterAll(async () => { await redis?.dispose(); });

const T0 = new Date('2026-04-30T13:50:00.000Z');
const CAP = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function instance(prefix: string, logger = new RecordingLogger()) {
  const connection = new RedisConnection({ url: redis.url, keyPrefix: prefix, commandTimeoutMs: 300 }, logger);
  await connection.connect();
  const store = new RedisDeploymentStore(connection, { retentionMs: 60_000, maxDeployments: 10, maxLogBytes: CAP, retryMs: 50 }, logger);
  closers.push(async () => { await store.close(); await connection.close(); });
  return { connection, store, logger };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const running = () => {
  const d = new Deployment({ id: DeploymentMother.nextId(), app: AppName.of('node-js-app'), kind: 'deploy', source: { type: 'none' }, createdAt: T0 });
  d.start(T0);
  return d;
};
const line = (i: number) => `-----> step ${String(i).padStart(4, '0')} ${'x'.repeat(30)}\n`; // 47 bytes

describe('what the Redis deployment store keeps in Redis', () => {
  it('keys under store.key_prefix only, each with an expiry: a finished deployment, its log, its id, a release', async () => {
    const prefix = `keys-${randomUUID().slice(0, 8)}:`;
    const { connection, store } = await instance(prefix);
    const d = running();
    const log = new BuildLog({ maxBytes: CAP });
    await store.add(d, log);
    log.append(line(1));
    d.linkHostBuild('mbz8k2q41x7c9d');
    d.succeed(T0, 0);
    await store.changed(d);
    await new RedisReleaseHistory(connection).record({ deploymentId: d.id, app: 'node-js-app', source: { type: 'image', image: 'nginx:1.27' }, finishedAt: T0 });
    const keys = ((await redis.command('KEYS', `${prefix}*`)) as string[]).sort();
    expect(keys).toEqual([`${prefix}dep-id:${d.id}`, `${prefix}dep:${d.key}`, `${prefix}dep:${d.key}:log`, `${prefix}deps`,
      `${prefix}releases:node-js-app`, `${prefix}releases:node-js-app:current`].sort());
    for (const key of keys) expect(await redis.command('PTTL', key)).toBeGreaterThan(0);
    expect(Number(await redis.command('PTTL', `${prefix}dep:${d.key}`))).toBeLessThanOrEqual(60_000); // the retention
  });

  it('the release history holds the last 10 per app for every instance, and which one runs', async () => {
    const prefix = `rel-${randomUUID().slice(0, 8)}:`;
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const [onA, onB] = [new RedisReleaseHistory(a.connection), new RedisReleaseHistory(b.connection)];
    for (let i = 0; i < 12; i++) {
      await (i % 2 ? onA : onB).record({ deploymentId: `node-js-app.build${String(i).padStart(4, '0')}`, app: 'node-js-app',
        source: { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git', sha: String(i).repeat(40).slice(0, 40) }, finishedAt: new Date(T0.getTime() + i) });
    }
    const history = await onA.of('node-js-app');
    expect(history.releases.map((r) => r.deploymentId)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((i) => `node-js-app.build${String(i).padStart(4, '0')}`));
    expect(history.releases[0]).toEqual({ deploymentId: 'node-js-app.build0011', app: 'node-js-app',
      source: { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git', sha: '1111111111111111111111111111111111111111' }, finishedAt: new Date(T0.getTime() + 11) });
    expect(history.currentId).toBe('node-js-app.build0011');
    await onB.supersede('node-js-app');
    expect((await onA.of('node-js-app')).currentId).toBeUndefined();
    expect(await onB.of('python-app')).toEqual({ releases: [], currentId: undefined });
  });
});

describe('a running deploy while Redis does not answer', () => {
  it('hung: the writer keeps the output, writes it when Redis answers, and readers are told of the gap its cap made', async () => {
    const prefix = `gap-${randomUUID().slice(0, 8)}:`;
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const d = running();
    const log = new BuildLog({ maxBytes: CAP });
    await a.store.add(d, log);
    let all = line(0);
    log.append(line(0));
    await a.store.changed(d);
    redis.pause();
    for (let i = 1; i <= 200; i++) { // 9.4 KB: far more than the writer keeps (2 KB)
      all += line(i);
      log.append(line(i));
      void a.store.changed(d);
    }
    d.succeed(T0, 0);
    const stored = a.store.changed(d); // resolves once written
    await sleep(700); // attempts time out meanwhile
    redis.resume();
    await stored;
    const page = await b.store.readLog(d.key, 0);
    expect(page.text).toMatch(/^\[dokku-mcp: gap: \d+ bytes of output lost here: the state store was unreachable/);
    expect(page.nextOffset).toBe(Buffer.byteLength(all));
    expect(page.skippedBytes).toBeGreaterThan(Buffer.byteLength(all) - CAP - 1);
    const kept = page.text.split('\n').filter((l) => !l.startsWith('[dokku-mcp:')).join('\n');
    expect(all.endsWith(kept)).toBe(true);
    expect(kept).toContain('step 0200');
    expect(await b.store.get(d.key)).toMatchObject({ status: 'succeeded', logSize: Buffer.byteLength(all) });
    // A poller that had read up to line 0 is told how much it missed.
    const poller = await b.store.readLog(d.key, Buffer.byteLength(line(0)));
    expect(poller.skippedBytes).toBeGreaterThan(0);
    expect(poller.text).toMatch(/^\[dokku-mcp: gap: /);
    expect(a.logger.entries.filter((e) => e.level === 'warn' && /keeping the deploy's output here/.test(e.msg))).toHaveLength(1);
  });

  it('restarted empty: the writer creates the deployment again from what it holds, and its outcome is written when Redis is back', async () => {
    const prefix = `restart-${randomUUID().slice(0, 8)}:`;
    const a = await instance(prefix);
    const d = running();
    const log = new BuildLog({ maxBytes: CAP });
    await a.store.add(d, log);
    log.append(line(1));
    await a.store.changed(d);
    await redis.stop();
    log.append(line(2));
    d.fail(T0, 'App build failed', 1);
    const stored = a.store.changed(d);
    await sleep(200);
    await redis.start();
    await stored;
    const b = await instance(prefix);
    expect(await b.store.get(d.key)).toMatchObject({ status: 'failed', error: 'App build failed', exitCode: 1 });
    expect((await b.store.readLog(d.key, 0)).text).toBe(line(1) + line(2));
  });

  it('a watcher on another instance hears again after Redis restarted (it is told how the deployment stands)', async () => {
    const prefix = `resub-${randomUUID().slice(0, 8)}:`;
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const d = running();
    const log = new BuildLog({ maxBytes: CAP });
    await a.store.add(d, log);
    const seen: string[] = [];
    const stop = await b.store.watch(d.key, (changed) => seen.push(changed.status));
    await redis.stop();
    d.succeed(T0, 0);
    const stored = a.store.changed(d);
    await redis.start();
    await stored;
    await eventually(async () => seen.includes('succeeded'), 'the watcher to hear of the end');
    stop();
  });
});
