import { OrphanedDeployments } from '../../../src/application/deployments/orphaned-deployments.js';
import { AppName } from '../../../src/domain/app-name.js';
import { Deployment } from '../../../src/domain/deployment.js';
import type { HostBuildStatus } from '../../../src/domain/host-build.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, type World } from '../../support/sandbox-world.js';

const GRACE = 1_000;

/**
 * Deployments whose writer (an instance killed mid-deploy) is gone: settled from the host's build record once their deploy
 * lock has been free for a whole grace, never on a guess. The store is the in-memory one here; the cluster e2e suite
 * runs it over Redis with an instance really killed.
 */
describe('OrphanedDeployments', () => {
  let world: World;
  let orphans: OrphanedDeployments;
  beforeEach(() => {
    world = createWorld();
    orphans = new OrphanedDeployments(world.store, world.lock, world.builds, world.clock, { buildIdWaitMs: 1_000, orphanGraceMs: GRACE, lostRecheckMs: 0 }, world.logger);
  });
  afterEach(() => world.dispose());

  /** A deployment of ours as a killed instance leaves it: active in the store, linked to a host build in `status`. */
  async function leftBehind(status?: Exclude<HostBuildStatus, 'running'> | 'running'): Promise<Deployment> {
    const d = new Deployment({ id: DeploymentMother.nextId(), app: AppName.of('node-js-app'), kind: 'deploy', source: { type: 'none' }, createdAt: world.clock.now() });
    d.start(world.clock.now());
    if (status) {
      const build = world.host.buildRecord.start('node-js-app', 'build', 'git:sync');
      world.host.buildRecord.write(build, ' !     App build failed\n');
      if (status !== 'running') world.host.buildRecord.finish(build, status, status === 'succeeded' ? 0 : 1);
      d.linkHostBuild(build.id);
    }
    await world.store.add(d, DeploymentMother.log(status === 'failed' ? ['-----> Building', ' !     App build failed'] : []));
    return d;
  }

  async function twoSweeps(): Promise<Deployment[]> {
    expect(await orphans.sweep()).toEqual([]); // first seen without a writer: not yet
    world.clock.advance(GRACE);
    return orphans.sweep();
  }

  test('a deploy the host recorded as succeeded ends succeeded, after a whole grace without its lock', async () => {
    const d = await leftBehind('succeeded');
    expect(await orphans.sweep()).toEqual([]);
    world.clock.advance(GRACE - 1);
    expect(await orphans.sweep()).toEqual([]);
    world.clock.advance(1);
    expect((await orphans.sweep()).map((s) => s.key)).toEqual([d.key]);
    expect(await world.store.get(d.key)).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  test('one the host recorded as failed or abandoned ends failed, saying so and that its instance stopped', async () => {
    const failed = await leftBehind('failed');
    const abandoned = await leftBehind('abandoned');
    expect((await twoSweeps()).map((s) => s.key).sort()).toEqual([failed.key, abandoned.key].sort());
    expect((await world.store.get(failed.key))?.error).toBe('Dokku recorded it as failed (exit 1); the dokku-mcp instance running it stopped before it ended: App build failed');
    expect((await world.store.get(abandoned.key))?.error).toMatch(/^Dokku recorded it as abandoned: .*; the dokku-mcp instance running it stopped before it ended$/);
  });

  test('one without a host build ends failed, "outcome unknown"', async () => {
    const d = await leftBehind();
    await twoSweeps();
    expect(await world.store.get(d.key)).toMatchObject({ status: 'failed', error: expect.stringContaining('outcome unknown') });
  });

  test('one the host still runs is left until the host says it ended', async () => {
    const d = await leftBehind('running');
    expect(await twoSweeps()).toEqual([]);
    world.clock.advance(GRACE);
    expect(await orphans.sweep()).toEqual([]);
    expect((await world.store.get(d.key))?.status).toBe('running');
    world.host.buildRecord.finish(world.host.buildRecord.find('node-js-app', d.hostBuildId!)!, 'succeeded', 0);
    expect((await orphans.sweep()).map((s) => s.key)).toEqual([d.key]);
  });

  test('one whose deploy lock is held (its instance lives) is never settled, however long it runs', async () => {
    const d = await leftBehind();
    const lease = await world.locks.take(AppName.of('node-js-app'), d.key);
    for (let i = 0; i < 3; i++) {
      expect(await orphans.sweep()).toEqual([]);
      world.clock.advance(GRACE * 10);
    }
    expect((await world.store.get(d.key))?.status).toBe('running');
    await lease.release();
  });
});
