import { GetAppConfig, MASK } from '../../../src/application/config/get-app-config.use-case.js';
import { UnsetAppConfig } from '../../../src/application/config/unset-app-config.use-case.js';
import { AppName } from '../../../src/domain/app-name.js';
import { AppNotFound, InvalidArgument } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';
import { waitForEnd } from '../../support/wait-for.js';

const node = AppName.of('node-js-app');

describe('GetAppConfig', () => {
  let world: World;
  let getConfig: GetAppConfig;

  beforeEach(() => {
    world = createWorld();
    getConfig = new GetAppConfig(world.config, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('masks every value by default, keys sorted', async () => {
    const result = await getConfig.execute(OPERATOR, { appName: 'node-js-app' });
    expect(result).toEqual({ appName: 'node-js-app', revealed: false, vars: { DATABASE_URL: MASK, NODE_ENV: MASK } });
    expect(Object.keys(result.vars)).toEqual(['DATABASE_URL', 'NODE_ENV']);
  });

  test('reveals the values only when asked', async () => {
    const result = await getConfig.execute(OPERATOR, { appName: 'node-js-app', reveal: true });
    expect(result.revealed).toBe(true);
    expect(result.vars).toEqual({ DATABASE_URL: 'postgres://app:s3cr3tpw@dokku-postgres-db:5432/app', NODE_ENV: 'production' });
  });

  test('an app without variables has none', async () => {
    expect((await getConfig.execute(OPERATOR, { appName: 'python-app' })).vars).toEqual({});
  });

  test('a missing app is AppNotFound; a bad name InvalidArgument', async () => {
    await expect(getConfig.execute(OPERATOR, { appName: 'no-such-app' })).rejects.toBeInstanceOf(AppNotFound);
    await expect(getConfig.execute(OPERATOR, { appName: '../node-js-app' })).rejects.toBeInstanceOf(InvalidArgument);
  });
});

describe('UnsetAppConfig', () => {
  let world: World;
  let unset: UnsetAppConfig;

  beforeEach(() => {
    world = createWorld();
    unset = new UnsetAppConfig(world.config, world.runner, world.appSecrets, OPEN_ACCESS);
  });
  afterEach(() => world.dispose());

  test('without restart: removed at once, no deployment', async () => {
    expect(await unset.execute(OPERATOR, { appName: 'node-js-app', keys: ['NODE_ENV'], restart: false })).toEqual({ restarted: false, keys: ['NODE_ENV'] });
    expect(await world.config.get(node)).toEqual({ DATABASE_URL: 'postgres://app:s3cr3tpw@dokku-postgres-db:5432/app' });
    expect((await world.store.list())).toEqual([]);
  });

  test('with restart: a config_change deployment that unsets and redeploys', async () => {
    const result = await unset.execute(OPERATOR, { appName: 'node-js-app', keys: ['NODE_ENV', 'NEVER_SET'] });
    if (!result.restarted) throw new Error('expected a restart');
    await waitForEnd(world.store, result.deployment);
    expect(result.deployment).toMatchObject({ kind: 'config_change', status: 'succeeded' });
    const log = (await world.logOf(result.deployment));
    expect(log).toContain('-----> Unsetting NODE_ENV');
    expect(log).toContain('-----> Skipping NEVER_SET, it is not set in the environment');
    expect(log).toContain('-----> Restarting app node-js-app');
    expect(await world.config.get(node)).not.toHaveProperty('NODE_ENV');
  });

  test.each([[[]], [['BAD-KEY']], [['']]])('refuses the keys %p', async (keys) => {
    await expect(unset.execute(OPERATOR, { appName: 'node-js-app', keys })).rejects.toBeInstanceOf(InvalidArgument);
    expect((await world.store.list())).toEqual([]);
  });

  test('a missing app is AppNotFound', async () => {
    await expect(unset.execute(OPERATOR, { appName: 'no-such-app', keys: ['A'], restart: false })).rejects.toBeInstanceOf(AppNotFound);
  });
});
