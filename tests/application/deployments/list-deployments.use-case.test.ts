import { DeployApp } from '../../../src/application/deployments/deploy-app.use-case.js';
import { ListDeployments } from '../../../src/application/deployments/list-deployments.use-case.js';
import { AccessPolicy } from '../../../src/application/access/access-policy.js';
import { unrestrictedCaller } from '../../../src/domain/caller.js';
import { InvalidArgument } from '../../../src/domain/domain-errors.js';
import { Tenancy } from '../../../src/domain/tenancy.js';
import { DeploymentMother } from '../../support/mothers/deployment.mother.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const REPO = 'https://github.com/heroku/node-js-getting-started.git';

describe('ListDeployments', () => {
  let world: World;
  let listDeployments: ListDeployments;
  const ids = async (input: { appName?: string; activeOnly?: boolean } = {}) =>
    (await listDeployments.execute(OPERATOR, input)).deployments.map((d) => d.id);

  beforeEach(() => {
    world = createWorld();
    listDeployments = world.listDeployments;
  });
  afterEach(() => world.dispose());

  function seed() {
    const oldNode = DeploymentMother.succeeded({ app: 'node-js-app' });
    const python = DeploymentMother.failed({ app: 'python-app' });
    const newNode = DeploymentMother.running({ app: 'node-js-app' });
    for (const d of [oldNode, python, newNode]) void world.store.add(d, DeploymentMother.log());
    return { oldNode, python, newNode };
  }

  test('lists every deployment, newest first', async () => {
    const { oldNode, python, newNode } = seed();
    expect(await ids()).toEqual([newNode.id, python.id, oldNode.id]);
    expect((await listDeployments.execute(OPERATOR)).deployments[0]).toMatchObject({ origin: 'mcp', kind: 'deploy', status: 'running' });
  });

  test('filters by app', async () => {
    const { oldNode, newNode } = seed();
    expect(await ids({ appName: 'node-js-app' })).toEqual([newNode.id, oldNode.id]);
    expect(await ids({ appName: 'other-app' })).toEqual([]);
  });

  test('filters to those still running', async () => {
    const { newNode } = seed();
    expect(await ids({ activeOnly: true })).toEqual([newNode.id]);
    expect(await ids({ appName: 'python-app', activeOnly: true })).toEqual([]);
  });

  test('refuses an invalid app name', async () => {
    await expect(listDeployments.execute(OPERATOR, { appName: 'Not An App' })).rejects.toThrow(InvalidArgument);
  });

  test("merges the host's record: an outside build shows once, with origin host; ours once, under its host id", async () => {
    const ours = await new DeployApp(world.runner, OPEN_ACCESS).execute(OPERATOR, { appName: 'python-app', repoUrl: REPO });
    await waitForEnd(world.store, ours);
    world.clock.advance(1_000);
    const pushed = world.deploys.push('node-js-app');
    expect(pushed).toBeDefined();
    const running = await listDeployments.execute(OPERATOR);
    // Without an app: ours (held) and the builds running now on the host.
    expect(running.deployments.map((d) => [d.app, d.origin, d.kind, d.status])).toEqual([
      ['node-js-app', 'host', 'git_push', 'running'],
      ['python-app', 'mcp', 'deploy', 'succeeded'],
    ]);
    expect(running.hostRecord).toEqual({ state: 'included' });
    await pushed!.outcome;
    const python = await listDeployments.execute(OPERATOR, { appName: 'python-app' });
    expect(python.deployments.map((d) => d.id)).toEqual([ours.id]); // the host's record of our deploy is not listed again
    const node = (await listDeployments.execute(OPERATOR, { appName: 'node-js-app' })).deployments;
    expect(node).toHaveLength(1);
    expect(node[0]).toMatchObject({ origin: 'host', kind: 'git_push', status: 'succeeded', source: 'git-hook' });
    expect(node[0]!.id).toMatch(/^node-js-app\.[0-9a-z]+$/);
    expect(node[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  test("another tenant's app has none, and its host record is not asked for", async () => {
    const access = new AccessPolicy(new Tenancy({ shop: ['shop-*'] }));
    const tenant = { ...unrestrictedCaller('http', 's1'), tenant: 'shop' };
    world.deploys.push('node-js-app');
    let asked = 0;
    const builds = new Proxy(world.builds, { get: (target, key) => (key === 'list' ? (...a: unknown[]) => (asked++, (target.list as (...x: unknown[]) => unknown)(...a)) : Reflect.get(target, key)) });
    const list = new ListDeployments(world.store, access, builds);
    expect((await list.execute(tenant, { appName: 'node-js-app' })).deployments).toEqual([]);
    expect((await list.execute(tenant)).deployments).toEqual([]);
    expect(asked).toBe(0);
  });

  test('an older Dokku: memory only, and the listing says so', async () => {
    world.dispose();
    world = createWorld({ dokkuVersion: '0.37.9' });
    const { newNode } = seed();
    const listing = await world.listDeployments.execute(OPERATOR, { appName: 'node-js-app', activeOnly: true });
    expect(listing.deployments.map((d) => d.id)).toEqual([newNode.id]);
    expect(listing.hostRecord).toEqual({ state: 'unsupported' });
  });

  test('an unreachable host leaves the list to what this server holds, saying why', async () => {
    const { newNode } = seed();
    world.host.simulateOutage();
    const listing = await listDeployments.execute(OPERATOR, { activeOnly: true });
    expect(listing.deployments.map((d) => d.id)).toEqual([newNode.id]);
    expect(listing.hostRecord).toMatchObject({ state: 'unavailable', reason: expect.stringContaining('ECONNREFUSED') });
  });
});
