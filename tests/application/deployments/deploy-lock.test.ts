import { InMemoryDeploymentStore } from '../../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { Deployment } from '../../../src/domain/deployment.js';
import { Conflict, DeploymentAlreadyRunning, StateStoreUnavailable } from '../../../src/domain/domain-errors.js';
import type { BusyLock, ClusterLock, HeldLock } from '../../../src/ports/cluster-lock.port.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd, waitForLog } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

/** A store that answers with copies and keeps cancel requests apart, as a shared one does: the live object never changes by itself. */
class CopyingStore extends InMemoryDeploymentStore {
  private readonly cancels = new Map<string, boolean>();
  override async get(id: string): Promise<Deployment | undefined> {
    const held = await super.get(id);
    return held && Deployment.fromRecord(held.toRecord(), { cancelRequested: this.cancels.get(held.key) ?? false, logSize: held.logSize });
  }
  override async requestCancel(id: string, requested: boolean): Promise<void> {
    const key = (await super.get(id))?.key ?? id;
    this.cancels.set(key, requested);
  }
}

/** A cluster lock whose shared store does not answer. */
const UNREACHABLE: ClusterLock = {
  acquire: async (): Promise<HeldLock | BusyLock> => { throw new StateStoreUnavailable('Redis at redis://127.0.0.1:6399 (store.redis_url): connect ECONNREFUSED'); },
  holder: async () => { throw new StateStoreUnavailable('Redis at redis://127.0.0.1:6399 (store.redis_url): connect ECONNREFUSED'); },
};

/** One tracked deploy per app across the cluster: DeploymentRunner holds the ClusterLock deploy:<app> while a deploy runs. */
describe('the deploy lock', () => {
  let world: World;
  afterEach(() => world.dispose());
  const deploy = () => new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
  const buildsOnHost = () => world.host.buildRecord.of('python-app').length;

  test('is held by the deployment while it runs and freed once its outcome is stored', async () => {
    world = createWorld();
    const d = await deploy();
    expect(await world.lock.holder('deploy:python-app')).toBe(d.key);
    await waitForEnd(world.store, d);
    await new Promise((r) => setImmediate(r));
    expect(await world.lock.holder('deploy:python-app')).toBeNull();
    expect((await deploy()).status).toBe('running'); // the app is free again
  });

  test('held by another instance: CONFLICT naming its deployment, and nothing reaches the host', async () => {
    world = createWorld();
    await world.lock.acquire('deploy:python-app', 'deploy_0elsewhere000a');
    const before = buildsOnHost();
    await expect(deploy()).rejects.toThrow(new DeploymentAlreadyRunning('python-app', 'deploy_0elsewhere000a'));
    expect(buildsOnHost()).toBe(before);
    expect(await world.store.list()).toEqual([]);
  });

  test('two deploys of one app started in the same instant: exactly one runs, the other is told which', async () => {
    world = createWorld();
    const results = await Promise.allSettled([deploy(), deploy()]);
    const ran = results.filter((r): r is PromiseFulfilledResult<Deployment> => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(DeploymentAlreadyRunning);
    expect([ran[0]!.value.key, ran[0]!.value.id]).toContain((refused[0]!.reason as DeploymentAlreadyRunning).deploymentId);
  });

  test('a state store that does not answer refuses the deploy before anything reaches the host', async () => {
    world = createWorld({ lock: UNREACHABLE });
    const before = buildsOnHost();
    await expect(deploy()).rejects.toThrow(StateStoreUnavailable);
    expect(buildsOnHost()).toBe(before);
  });

  test('a cancel another instance noted in the store makes the deploy end canceled, not failed', async () => {
    world = createWorld({ store: (clock, limits) => new CopyingStore(clock, { retentionMs: limits.buildRetentionMs, maxDeployments: limits.maxDeployments }) });
    const d = await deploy();
    await waitForLog(world.store, d, 'Building python-app');
    await world.store.requestCancel(d.id, true); // what CancelDeployment on another instance leaves for the writer
    await world.deploys.cancel(d.app);
    await waitForEnd(world.store, d);
    expect(d.status).toBe('canceled');
  });

  test("Dokku's own refusal (a git push holds the host's deploy lock, no build record to tell us first) is a CONFLICT, not a failed deployment", async () => {
    world = createWorld({ dokkuVersion: '0.37.9', seed: [{ name: 'python-app', deployed: true }] });
    expect(world.deploys.push('python-app')).toBeDefined(); // a human's git push, holding the lock on the host
    const refused = deploy();
    await expect(refused).rejects.toBeInstanceOf(Conflict);
    await expect(refused).rejects.toThrow('App "python-app" has a deploy lock in place: a deploy not started by this server (a git push?) is running on the host');
    const [ours] = await world.store.list({ app: 'python-app' });
    expect(ours).toMatchObject({ status: 'canceled', error: expect.stringMatching(/^refused by the host: App "python-app" has a deploy lock/) });
    expect(await world.lock.holder('deploy:python-app')).toBeNull();
  });
});
