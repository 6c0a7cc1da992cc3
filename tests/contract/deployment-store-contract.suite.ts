import { AppName } from '../../src/domain/app-name.js';
import { BuildLog } from '../../src/domain/build-log.js';
import { Deployment } from '../../src/domain/deployment.js';
import type { DeploymentStore } from '../../src/ports/deployment-store.port.js';
import { DeploymentMother } from '../support/mothers/deployment.mother.js';

/** What every instance of an installation is configured with. */
export interface StoreLimits {
  readonly maxDeployments: number;
  readonly maxLogBytes: number;
  readonly retentionMs: number;
}

/**
 * An installation under test: `instance()` adds an instance sharing its deployments. In memory the process is the whole
 * installation (every instance is the same store); with Redis each is its own connection and adapter.
 */
export interface DeploymentStoreSubject {
  instance(): Promise<DeploymentStore>;
  /** Lets `ms` pass for retention (a fake clock in memory, real time in Redis). */
  pass(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

const T0 = new Date('2026-04-30T13:50:00.000Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const newDeployment = (app = 'node-js-app') =>
  new Deployment({ id: DeploymentMother.nextId(), app: AppName.of(app), kind: 'deploy', source: { type: 'image', image: 'nginx:1.27' }, createdAt: T0 });

/** Appends `chunk` and reports the change, as the runner does, waiting until it is stored. */
async function write(store: DeploymentStore, deployment: Deployment, log: BuildLog, chunk: string): Promise<void> {
  log.append(chunk);
  await store.changed(deployment);
}

/**
 * The behaviour of a DeploymentStore that every adapter must have (memory, Redis), through the port only: records by
 * key and id, the build log by byte offset (multi-byte text, offsets inside lines, the cap and its marker), the count
 * bound and retention, watchers, cancel requests; and, with a shared store, all of it across instances.
 */
export function describeDeploymentStoreContract(name: string, shared: boolean, limits: StoreLimits, make: () => Promise<DeploymentStoreSubject>): void {
  const acrossInstances = (title: string, test: () => Promise<void>): void => {
    if (shared) it(title, test);
  };
  describe(`deployment store contract: ${name}`, () => {
    let subject: DeploymentStoreSubject;
    beforeEach(async () => { subject = await make(); });
    afterEach(async () => { await subject.teardown(); });

    it('keeps a deployment by key and, once linked to its host build, by that id too; a key added twice is refused', async () => {
      const store = await subject.instance();
      const d = newDeployment();
      const log = new BuildLog({ maxBytes: limits.maxLogBytes });
      expect(await store.add(d, log)).toBe(true);
      expect(await store.add(d, log)).toBe(false);
      d.start(T0);
      d.linkHostBuild('mbz8k2q41x7c9d');
      await store.changed(d);
      for (const id of [d.key, 'node-js-app.mbz8k2q41x7c9d']) {
        expect(await store.get(id)).toMatchObject({ id: 'node-js-app.mbz8k2q41x7c9d', key: d.key, status: 'running', app: AppName.of('node-js-app') });
      }
      expect(await store.get('deploy_0000000000zz')).toBeUndefined();
    });

    it('lists newest first, by app and active only', async () => {
      const store = await subject.instance();
      const [a, b, c] = [newDeployment('node-js-app'), newDeployment('python-app'), newDeployment('node-js-app')];
      for (const d of [a, b, c]) {
        d.start(T0);
        await store.add(d, new BuildLog({ maxBytes: limits.maxLogBytes }));
      }
      a.succeed(T0, 0);
      await store.changed(a);
      expect((await store.list()).map((d) => d.key)).toEqual([c.key, b.key, a.key]);
      expect((await store.list({ app: 'node-js-app' })).map((d) => d.key)).toEqual([c.key, a.key]);
      expect((await store.list({ app: 'node-js-app', activeOnly: true })).map((d) => d.key)).toEqual([c.key]);
    });

    it('reads the log by byte offset: multi-byte text, an offset inside a line starts at the next one, whole lines only', async () => {
      const store = await subject.instance();
      const d = newDeployment();
      const log = new BuildLog({ maxBytes: limits.maxLogBytes });
      await store.add(d, log);
      await write(store, d, log, '-----> Bygger app på Dokku 🚀\n-----> två');
      const first = await store.readLog(d.key, 0);
      expect(first).toEqual({ text: '-----> Bygger app på Dokku 🚀\n', nextOffset: Buffer.byteLength('-----> Bygger app på Dokku 🚀\n'), skippedBytes: 0 });
      await write(store, d, log, ' rader\n-----> tre\n');
      const second = await store.readLog(d.key, first.nextOffset);
      expect(second.text).toBe('-----> två rader\n-----> tre\n');
      expect(second.nextOffset).toBe(Buffer.byteLength('-----> Bygger app på Dokku 🚀\n-----> två rader\n-----> tre\n'));
      expect((await store.readLog(d.key, 3)).text).toBe('-----> två rader\n-----> tre\n'); // inside the first line
      expect((await store.readLog(d.key, second.nextOffset)).text).toBe('');
      expect((await store.get(d.key))?.logSize).toBe(second.nextOffset);
      expect(await store.tailLog(d.key, 2)).toBe('-----> två rader\n-----> tre\n');
      expect(await store.tailLog(d.key, 99)).toBe('-----> Bygger app på Dokku 🚀\n-----> två rader\n-----> tre\n');
    });

    it('holds the log to the cap: the oldest lines go, a read from before says how much with a marker, offsets stay absolute', async () => {
      const store = await subject.instance();
      const d = newDeployment();
      const log = new BuildLog({ maxBytes: limits.maxLogBytes });
      await store.add(d, log);
      let all = '';
      for (let i = 0; all.length < limits.maxLogBytes * 3; i++) {
        const line = `line ${String(i).padStart(5, '0')} ${'x'.repeat(40)}\n`;
        all += line;
        await write(store, d, log, line);
      }
      const page = await store.readLog(d.key, 0);
      const kept = page.text.replace(/^\[dokku-mcp: (\d+) earlier lines \([\d.]+ MB\) dropped: the build log keeps the last [\d.]+ MB\]\n/, '');
      expect(kept).not.toBe(page.text); // the marker was there
      expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(limits.maxLogBytes);
      expect(all.endsWith(kept)).toBe(true);
      expect(page).toMatchObject({ nextOffset: Buffer.byteLength(all), skippedBytes: Buffer.byteLength(all) - Buffer.byteLength(kept) });
      expect(log.readAll()).toBe(page.text); // the same as the writer's own log holds
      const tail = await store.readLog(d.key, page.nextOffset - 60);
      expect(tail.text).toBe(all.slice(all.lastIndexOf('\n', all.length - 2) + 1));
    });

    it('keeps at most max_deployments: the oldest finished go first, active ones stay', async () => {
      const store = await subject.instance();
      const running = newDeployment();
      running.start(T0);
      await store.add(running, new BuildLog({ maxBytes: limits.maxLogBytes }));
      const finished: Deployment[] = [];
      for (let i = 0; i < limits.maxDeployments; i++) {
        const d = newDeployment();
        d.start(T0);
        d.succeed(T0, 0);
        await store.add(d, new BuildLog({ maxBytes: limits.maxLogBytes }));
        finished.push(d);
      }
      const keys = (await store.list()).map((d) => d.key);
      expect(keys).toHaveLength(limits.maxDeployments);
      expect(keys).toContain(running.key);
      expect(keys).not.toContain(finished[0]!.key);
      expect(await store.get(finished[0]!.key)).toBeUndefined();
      expect((await store.readLog(finished[0]!.key, 0)).text).toBe('');
    });

    it('forgets a finished deployment and its log once the retention has passed; an active one stays', async () => {
      const store = await subject.instance();
      const [done, active] = [newDeployment(), newDeployment()];
      for (const d of [done, active]) {
        d.start(T0);
        const log = new BuildLog({ maxBytes: limits.maxLogBytes });
        await store.add(d, log);
        await write(store, d, log, 'output\n');
      }
      done.succeed(T0, 0);
      await store.changed(done);
      await subject.pass(limits.retentionMs);
      await eventually(async () => (await store.get(done.key)) === undefined, 'the finished one to go');
      expect((await store.readLog(done.key, 0)).text).toBe('');
      expect(await store.get(active.key)).toMatchObject({ status: 'running' });
    });

    it('tells watchers of each change with the deployment as it stands; unsubscribed, they hear nothing more', async () => {
      const store = await subject.instance();
      const d = newDeployment();
      const log = new BuildLog({ maxBytes: limits.maxLogBytes });
      await store.add(d, log);
      const seen: Array<{ status: string; logSize: number }> = [];
      const stop = await store.watch(d.key, (changed) => seen.push({ status: changed.status, logSize: changed.logSize }));
      d.start(T0);
      await write(store, d, log, 'one\n');
      d.succeed(T0, 0);
      await store.changed(d);
      await eventually(() => seen.some((s) => s.status === 'succeeded'), 'the end to be told');
      expect(seen[seen.length - 1]).toEqual({ status: 'succeeded', logSize: 4 });
      stop();
      const told = seen.length;
      await store.changed(d);
      await sleep(50);
      expect(seen).toHaveLength(told);
    });

    it('keeps a cancel request for the writer to read, and its withdrawal', async () => {
      const store = await subject.instance();
      const d = newDeployment();
      d.start(T0);
      await store.add(d, new BuildLog({ maxBytes: limits.maxLogBytes }));
      await store.requestCancel(d.key, true);
      expect((await store.get(d.key))?.cancelRequested).toBe(true);
      await store.requestCancel(d.key, false);
      expect((await store.get(d.key))?.cancelRequested).toBe(false);
    });

    acrossInstances('a deployment written on A is read, by offset, and watched on B', async () => {
      const [a, b] = [await subject.instance(), await subject.instance()];
      const d = newDeployment();
      const log = new BuildLog({ maxBytes: limits.maxLogBytes });
      await a.add(d, log);
      const seen: number[] = [];
      const stop = await b.watch(d.key, (changed) => seen.push(changed.logSize));
      d.start(T0);
      await write(a, d, log, 'from A\n');
      expect((await b.readLog(d.key, 0)).text).toBe('from A\n');
      await eventually(() => seen.includes(7), 'B to hear of it');
      await b.requestCancel(d.key, true);
      expect((await a.get(d.key))?.cancelRequested).toBe(true);
      stop();
    });

    acrossInstances('max_deployments holds for the whole cluster', async () => {
      const [a, b] = [await subject.instance(), await subject.instance()];
      for (let i = 0; i < limits.maxDeployments + 2; i++) {
        const d = newDeployment();
        d.start(T0);
        d.succeed(T0, 0);
        await (i % 2 ? a : b).add(d, new BuildLog({ maxBytes: limits.maxLogBytes }));
      }
      expect(await a.list()).toHaveLength(limits.maxDeployments);
      expect(await b.list()).toHaveLength(limits.maxDeployments);
    });

    acrossInstances('how a deployment ended never changes: a writer that comes back after another instance settled it is refused', async () => {
      const [a, b] = [await subject.instance(), await subject.instance()];
      const d = newDeployment();
      const log = new BuildLog({ maxBytes: limits.maxLogBytes });
      d.start(T0);
      await a.add(d, log);
      const seenOnB = (await b.get(d.key))!;
      seenOnB.fail(T0, 'outcome unknown');
      await b.changed(seenOnB);
      d.succeed(T0, 0);
      await write(a, d, log, 'late\n');
      expect(await b.get(d.key)).toMatchObject({ status: 'failed', error: 'outcome unknown' });
      expect((await b.readLog(d.key, 0)).text).toBe('');
    });
  });
}
