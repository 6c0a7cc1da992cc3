import { GetServerInfo } from '../../../src/application/server/get-server-info.use-case.js';
import { HostUnreachable } from '../../../src/domain/domain-errors.js';
import { createWorld, type World, OPEN_ACCESS, OPERATOR } from '../../support/sandbox-world.js';

describe('GetServerInfo', () => {
  let world: World;
  beforeEach(() => (world = createWorld()));
  afterEach(() => world.dispose());

  test('version, host and plugins of the simulated host', async () => {
    const info = await new GetServerInfo(world.server, world.builds, OPEN_ACCESS, world.hub).execute(OPERATOR);
    expect(info).toMatchObject({ dokkuVersion: '0.38.27', host: 'sandbox', simulated: true });
    expect(info.plugins).toContainEqual({ name: 'builds', version: '0.38.27', enabled: true });
    expect(info.features).toEqual({ buildRecord: true });
  });

  test('an older Dokku has no build record', async () => {
    world.dispose();
    world = createWorld({ dokkuVersion: '0.37.9' });
    expect((await new GetServerInfo(world.server, world.builds, OPEN_ACCESS, world.hub).execute(OPERATOR)).features).toEqual({ buildRecord: false });
  });

  test('an unreachable host is HostUnreachable', async () => {
    world.host.simulateOutage();
    await expect(new GetServerInfo(world.server, world.builds, OPEN_ACCESS, world.hub).execute(OPERATOR)).rejects.toBeInstanceOf(HostUnreachable);
  });
});
