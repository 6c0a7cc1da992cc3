/**
 * Dokku commands that never answer (a wedged docker under Dokku): every call still answers by its deadline, slots come
 * back, and the stuck remote process is ended. OpenSSH keeps a forced command's channel open until the remote process
 * exits and refuses "signal" requests for it, so none of this may wait for the channel to close; a short command runs
 * under a pty, so closing its channel hangs it up (SIGHUP), and a deploy is canceled with builds:cancel. The stand-in
 * hangs the subcommands seeded in `hang` (and deploys whose source contains "hang"), silently, and records their pids.
 */
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import type { SshOptions } from '../../../../src/adapters/outbound/ssh/ssh-options.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { HostUnreachable } from '../../../../src/domain/domain-errors.js';
import { GitUrl } from '../../../../src/domain/dokku-values.js';
import { waitUntil } from '../../../support/wait-for.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters, TcpRelay } from './ssh-test-support.js';

let fixture: SshdFixture;
let relay: TcpRelay;
const opened: SshDokkuAdapters[] = [];
const app = AppName.of('node-js-app');

function adapters(overrides: Partial<SshOptions> = {}): SshDokkuAdapters {
  const ssh = sshAdapters(fixture, overrides);
  opened.push(ssh);
  return ssh;
}
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Settles `promise` and says how long it took. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const started = Date.now();
  try {
    return { ms: Date.now() - started, result: await promise };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

beforeAll(async () => {
  fixture = await startSshd({ deployStepMs: 20 });
  relay = new TcpRelay(fixture.port);
  await relay.start();
});
afterEach(() => fixture.seed({ apps: fixture.readState().apps, hang: [] }));
afterAll(async () => {
  await Promise.all(opened.map((ssh) => ssh.connection.close()));
  await relay.stop();
  await fixture.stop();
});

describe('a Dokku command that never answers', () => {
  it('fails at its deadline with a clear error, its slot is free at once, and its remote process is hung up (pty)', async () => {
    const ssh = adapters({ commandTimeoutMs: 1000 });
    await ssh.apps.list(); // connected
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    const before = fixture.hungPids().length;
    const { ms, error } = await timed(ssh.apps.status(app));
    expect(error).toBeInstanceOf(HostUnreachable);
    expect((error as HostUnreachable).message).toMatch(/no complete answer within 1000 ms/);
    expect((error as HostUnreachable).hint).toMatch(/ssh\.command_timeout_ms/);
    expect(ms).toBeLessThan(1000 + 1500);
    expect(ssh.connection.channelsInUse).toBe(0);
    // The stand-in recorded the stuck command's pid: closing its channel hung up its pty, and it is gone.
    expect(fixture.hungPids()).toHaveLength(before + 1);
    const pid = fixture.hungPids()[before]!;
    await waitUntil(() => !alive(pid), 'the hung remote process to end');
    await waitUntil(() => ssh.connection.wedgedChannels === 0, 'sshd to close the channel once the process ended');
    await expect(ssh.apps.exists(app)).resolves.toBe(true);
  });

  it('without a pty (a command fed stdin) the same stuck command outlives its closed channel: why short commands get one', async () => {
    const ssh = adapters({ commandTimeoutMs: 800 });
    await ssh.apps.list();
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    const before = fixture.hungPids().length;
    // stdin given: no pty. At the deadline the channel is signalled (TERM: OpenSSH refuses it for a forced command) and closed.
    const { error } = await timed(ssh.connection.exec(`ps:report 'node-js-app'`, { stdin: '' }));
    expect(String(error)).toMatch(/no complete answer within 800 ms/);
    expect(ssh.connection.channelsInUse).toBe(0);
    const pid = fixture.hungPids()[before]!;
    await new Promise((r) => setTimeout(r, 1000)); // a hang-up takes milliseconds: give it far more
    expect(alive(pid)).toBe(true);
    expect(ssh.connection.wedgedChannels).toBe(1); // sshd holds the channel while its process lives
    process.kill(pid, 'SIGKILL'); // the test's own clean-up; nothing in the server could do this
    await waitUntil(() => ssh.connection.wedgedChannels === 0, 'the channel to close once the process is gone');
  });

  it('after max_channels commands hang at once, they are all ended and max_channels commands still run at once', async () => {
    const MAX = 4;
    const ssh = adapters({ commandTimeoutMs: 1000, maxChannels: MAX });
    await ssh.apps.list();
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    const before = fixture.hungPids().length;
    const hung = await Promise.all(Array.from({ length: MAX }, () => timed(ssh.connection.exec(`ps:report 'node-js-app'`))));
    for (const { ms, error } of hung) {
      expect(error).toBeInstanceOf(HostUnreachable);
      expect(ms).toBeLessThan(1000 + 1500);
    }
    expect(ssh.connection.channelsInUse).toBe(0);
    const pids = fixture.hungPids().slice(before);
    expect(pids).toHaveLength(MAX);
    await waitUntil(() => pids.every((pid) => !alive(pid)), 'every hung remote process to end');
    await waitUntil(() => ssh.connection.wedgedChannels === 0, 'their channels to close');

    fixture.seed({ apps: fixture.readState().apps, hang: ['apps:report'] });
    // Each of these holds its channel for a whole timeout: seeing MAX in use at once proves they run side by side.
    const together = Array.from({ length: MAX }, () => timed(ssh.connection.exec(`apps:report 'node-js-app'`, { timeoutMs: 3000 })));
    await waitUntil(() => ssh.connection.channelsInUse === MAX, `${MAX} channels open at once`);
    const results = await Promise.all(together);
    for (const { error } of results) expect(String(error)).toMatch(/no complete answer within 3000 ms/);
    // No connection had to be retired for channels that never closed: they all closed.
    expect(ssh.connection.connections).toBe(1);
    await expect(ssh.apps.exists(app)).resolves.toBe(true);
  });

  it('a call queued behind hung ones answers by its own deadline', async () => {
    const ssh = adapters({ commandTimeoutMs: 3000, maxChannels: 3 });
    await ssh.apps.list();
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    const hung = Array.from({ length: 3 }, () => ssh.connection.exec(`ps:report 'node-js-app'`).catch((e: unknown) => e));
    await waitUntil(() => ssh.connection.channelsInUse === 3, 'the hung commands to take every slot');
    const queued = await timed(ssh.connection.exec('version', { timeoutMs: 500 }));
    expect(queued.error).toBeInstanceOf(HostUnreachable);
    expect(String(queued.error)).toMatch(/within 500 ms \(it waited for one of the 3 SSH channels/);
    expect(queued.ms).toBeLessThan(500 + 1000);
    expect(ssh.connection.queued).toBe(0);
    await Promise.all(hung);
  });

  it('a call that gets its slot only as its deadline nears, from a connection full of hung channels, says it waited for a channel', async () => {
    // The hung ones time out at 1000 ms and leave their channels wedged (open at sshd until the hung-up process exits):
    // the queued call's slot comes with a connection that has no room, so it needs a fresh connection in the 15 ms left.
    const MAX = 3;
    const ssh = adapters({ commandTimeoutMs: 1000, maxChannels: MAX });
    await ssh.apps.list();
    fixture.seed({ apps: fixture.readState().apps, hang: ['ps:report'] });
    const hung = Array.from({ length: MAX }, () => ssh.connection.exec(`ps:report 'node-js-app'`).catch((e: unknown) => e));
    const queued = timed(ssh.connection.exec('version', { timeoutMs: 1015 }));
    await Promise.all(hung);
    const { error } = await queued;
    expect(error).toBeInstanceOf(HostUnreachable);
    // Not "no SSH connection within 1015 ms": the host was connected all along; the call spent its time queued.
    expect(String(error)).toMatch(/no complete answer within 1015 ms \(it waited (for|\d+ ms for) one of the 3 SSH channels/);
    expect(String(error)).not.toMatch(/no SSH connection/);
    expect(ssh.connection.queued).toBe(0);
    await waitUntil(() => ssh.connection.channelsInUse === 0, 'every slot back');
  });

  it('on a frozen host the error comes at the deadline, not when keepalive gives up', async () => {
    const ssh = sshAdapters(fixture, { port: relay.port, commandTimeoutMs: 800, keepaliveIntervalMs: 10_000 });
    opened.push(ssh);
    await ssh.apps.list();
    relay.blackhole(true);
    try {
      const { ms, error } = await timed(ssh.apps.list());
      expect(String(error)).toMatch(/no complete answer within 800 ms/);
      expect(ms).toBeLessThan(800 + 1500);
      expect(ssh.connection.channelsInUse).toBe(0);
    } finally {
      relay.blackhole(false);
    }
  });
});

describe('a deploy that never ends', () => {
  it('ends at ssh.deploy_timeout_ms as timed out, canceled on the host: its remote process is gone', async () => {
    const ssh = adapters({ deployTimeoutMs: 1500 });
    const before = fixture.hungPids().length;
    let output = '';
    const run = await ssh.deploys.start(
      { kind: 'deploy', app, repoUrl: GitUrl.of('https://github.com/example/hang.git') },
      (chunk) => (output += chunk),
    );
    await waitUntil(() => fixture.hungPids().length > before, 'the deploy to hang');
    const pid = fixture.hungPids()[before]!;
    const { ms, result } = await timed(run.outcome);
    expect(output).toContain('Waiting for the docker daemon');
    expect(result).toEqual({
      type: 'timed_out',
      reason: expect.stringMatching(/^the deploy did not finish within ssh\.deploy_timeout_ms \(1500 ms\); it was canceled on the host \(builds:cancel\)/),
    });
    expect(ms).toBeLessThan(1500 + 6000);
    await waitUntil(() => !alive(pid), 'the hung deploy process to end');
    await waitUntil(() => ssh.connection.channelsInUse === 0, 'its channel to close');
    expect(ssh.connection.wedgedChannels).toBe(0);
  });

  it('is stopped by cancel (builds:cancel) before its timeout', async () => {
    const ssh = adapters();
    const before = fixture.hungPids().length;
    const run = await ssh.deploys.start({ kind: 'deploy', app, repoUrl: GitUrl.of('https://github.com/example/hang.git') }, () => undefined);
    await waitUntil(() => fixture.hungPids().length > before, 'the deploy to hang');
    await ssh.deploys.cancel(app);
    await expect(run.outcome).resolves.toEqual({ type: 'exited', exitCode: 1 });
    expect(alive(fixture.hungPids()[before]!)).toBe(false);
  });

  it('on a Dokku without builds:cancel, ends at the timeout all the same and says it may still run on the host', async () => {
    fixture.setVersion('0.37.9');
    try {
      const ssh = adapters({ deployTimeoutMs: 1000 });
      const run = await ssh.deploys.start({ kind: 'deploy', app, repoUrl: GitUrl.of('https://github.com/example/hang.git') }, () => undefined);
      const { ms, result } = await timed(run.outcome);
      expect(result).toEqual({ type: 'timed_out', reason: expect.stringMatching(/no builds:cancel \(< 0\.38\), so it may still be running on the host/) });
      expect(ms).toBeLessThan(1000 + 6000);
      // Our side lets go of the channel sshd keeps open: the slot is free although the remote lives on.
      await waitUntil(() => ssh.connection.channelsInUse === 0, 'the channel to be abandoned');
      expect(ssh.connection.wedgedChannels).toBe(1);
      await expect(ssh.apps.exists(app)).resolves.toBe(true);
    } finally {
      fixture.setVersion('0.38.27');
    }
  });
});
