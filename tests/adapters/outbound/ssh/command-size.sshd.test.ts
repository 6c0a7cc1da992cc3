/** One oversized command must be refused before it is sent: past sshd's limits it would drop the shared connection. */
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { MAX_COMMAND_BYTES } from '../../../../src/adapters/outbound/ssh/dokku-command.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { LimitExceeded } from '../../../../src/domain/domain-errors.js';
import { EnvKey, EnvValue } from '../../../../src/domain/dokku-values.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
let ssh: SshDokkuAdapters;
const app = AppName.of('node-js-app');
const KIB_64 = 64 * 1024;
const pair = (key: string, fill: string) => [EnvKey.of(key), EnvValue.of(fill.repeat(KIB_64))] as const;

beforeAll(async () => {
  fixture = await startSshd();
  ssh = sshAdapters(fixture);
});
afterAll(async () => {
  await ssh.connection.close();
  await fixture.stop();
});

describe('the size of one command', () => {
  it('refuses three 64 KiB values in one config:set, naming the limit and how to split; the connection stays up', async () => {
    await ssh.apps.list(); // connected
    const [refused, listedMeanwhile] = await Promise.allSettled([
      ssh.config.setWithoutRestart(app, [pair('BIG_A', 'a'), pair('BIG_B', 'b'), pair('BIG_C', 'c')]),
      ssh.apps.list(),
    ]);
    expect(refused.status).toBe('rejected');
    const error = (refused as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(LimitExceeded);
    expect(error.message).toContain(`${MAX_COMMAND_BYTES.toLocaleString('en-US')} bytes`);
    expect((error as LimitExceeded).hint).toMatch(/several configure_app calls/);
    expect(listedMeanwhile).toMatchObject({ status: 'fulfilled', value: expect.arrayContaining(['node-js-app']) });

    expect(await ssh.apps.list()).toContain('node-js-app');
    expect(ssh.connection.connections).toBe(1);
  });

  it('sends a single 64 KiB value (the largest one value may be), so the limit and the value rule agree', async () => {
    const connections = ssh.connection.connections;
    await ssh.config.setWithoutRestart(app, [pair('BIG_ONE', 'z')]);
    expect((await ssh.config.get(app)).BIG_ONE).toBe('z'.repeat(KIB_64));
    expect(ssh.connection.connections).toBe(connections);
  });
});
