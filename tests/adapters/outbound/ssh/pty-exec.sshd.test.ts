/**
 * Short commands run under a raw pty (so that one given up on is hung up, see hung-commands.sshd.test.ts): what the
 * adapters read stays what it was without one. The bytes come as written (LF, no CR, no echo), and Dokku's own
 * warning and error lines (" !     ") are told apart from stdout again, since a tty merges the two streams.
 */
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
let ssh: SshDokkuAdapters;

beforeAll(async () => {
  fixture = await startSshd();
  ssh = sshAdapters(fixture);
});
afterAll(async () => {
  await ssh?.connection.close();
  await fixture?.stop();
});

describe('a short command under a raw pty', () => {
  it('gives stdout as written and Dokku\'s warning as stderr (exit 0)', async () => {
    fixture.seed({ apps: {} });
    const result = await ssh.connection.exec('apps:list');
    expect(result).toEqual({
      stdout: '=====> My Apps\n',
      stderr: " !     You haven't deployed any applications yet\n",
      merged: "=====> My Apps\n !     You haven't deployed any applications yet\n", // the one stream, as it came
      code: 0,
    });
  });

  it('gives a failure\'s message as stderr and its exit status, and JSON output byte for byte', async () => {
    fixture.seed({ apps: { 'pty-app': { deployed: false, config: { MULTI: 'line one\nline two', QUOTE: `it's "x"` } } } });
    const failed = await ssh.connection.exec(`apps:create 'pty-app'`);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/^ ! +Name is already taken/m);
    expect(failed.stdout).not.toMatch(/Name is already taken/);
    const json = await ssh.connection.exec(`config:export --format json 'pty-app'`);
    expect(json.stdout).not.toContain('\r');
    expect(JSON.parse(json.stdout)).toEqual({ MULTI: 'line one\nline two', QUOTE: `it's "x"` });
    await expect(ssh.config.get(AppName.of('pty-app'))).resolves.toEqual({ MULTI: 'line one\nline two', QUOTE: `it's "x"` });
  });
});
