import { execFileSync } from 'node:child_process';
import { AppName } from '../../../../src/domain/app-name.js';
import { EmailAddress } from '../../../../src/domain/letsencrypt.js';
import { ServiceName } from '../../../../src/domain/service.js';
import { PublicKey, RootRequired, SshKeyName } from '../../../../src/domain/ssh-key.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

/** What the plugin adapters send over SSH, word for word, and how they read what comes back (the stand-in behind sshd). */
describe('SSH plugin adapters', () => {
  let fixture: SshdFixture;
  let ssh: ReturnType<typeof sshAdapters>;
  beforeAll(async () => {
    fixture = await startSshd({ deployStepMs: 5 });
    ssh = sshAdapters(fixture);
  });
  afterAll(async () => {
    await ssh?.connection.close();
    await fixture?.stop();
  });
  const last = (name: string) => fixture.argvLog().filter((argv) => argv.some((w) => w.startsWith(name))).pop();

  it('knows the key it logs in with by its SHA256 fingerprint, as ssh-keygen prints it', async () => {
    const fingerprint = execFileSync('ssh-keygen', ['-lf', `${fixture.clientKeyPath}.pub`]).toString().split(' ')[1];
    expect(await ssh.sshKeys.loginFingerprints()).toEqual([fingerprint]);
  });

  it('lists keys as JSON from Dokku 0.22.3, as text before', async () => {
    const json = await ssh.sshKeys.list();
    expect(last('ssh-keys:list')).toEqual(['ssh-keys:list', '--format', 'json']);
    fixture.setVersion('0.22.0');
    const other = sshAdapters(fixture); // the version is read once per connection
    try {
      expect(await other.sshKeys.list()).toEqual(json);
      expect(last('ssh-keys:list')).toEqual(['ssh-keys:list']);
    } finally {
      await other.connection.close();
      fixture.setVersion('0.38.27');
    }
  });

  it('sends the key on stdin, exactly, where Dokku allows it; over the dokku user names the command to run', async () => {
    const key = PublicKey.of(execFileSync('ssh-keygen', ['-y', '-f', fixture.clientKeyPath]).toString());
    const refused = await ssh.sshKeys.add(SshKeyName.of('again'), key).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RootRequired);
    expect((refused as RootRequired).hint).toBe(`An operator runs it on the host instead: \`echo '${key.value}' | sudo dokku ssh-keys:add again\`.`);
    fixture.seed({ apps: fixture.readState().apps, sshUser: 'root' });
    expect(await ssh.sshKeys.add(SshKeyName.of('again'), key)).toMatch(/^SHA256:/);
    expect(fixture.stdinLog()).toEqual([{ argv: ['ssh-keys:add', 'again'], stdin: `${key.value}\n` }]);
    await ssh.sshKeys.remove(SshKeyName.of('again'));
    expect(last('ssh-keys:remove')).toEqual(['ssh-keys:remove', 'again']);
  });

  it('destroys with --force first (no prompt), sets the letsencrypt email as a property', async () => {
    const service = { type: 'postgres' as const, name: ServiceName.of('words') };
    await ssh.services.create(service);
    await ssh.services.destroy(service);
    expect(last('postgres:destroy')).toEqual(['--force', 'postgres:destroy', 'words']);
    await ssh.letsencrypt.setEmail(AppName.of('node-js-app'), EmailAddress.of('ops@example.com'));
    expect(last('letsencrypt:set')).toEqual(['letsencrypt:set', 'node-js-app', 'email', 'ops@example.com']);
  });
});
