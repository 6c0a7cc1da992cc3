import fs from 'node:fs';
import { AppName } from '../../../../src/domain/app-name.js';
import { BuildId } from '../../../../src/domain/dokku-values.js';
import type { BuildFollowEnd } from '../../../../src/ports/dokku-builds.port.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { withTimeout } from '../../../support/wait-for.js';
import { sshAdapters } from './ssh-test-support.js';

/**
 * Following a running build over SSH: Dokku's `builds:output` is `tail -n 1000 -f` and never ends by itself. Whatever
 * ends our side (the build is over, stop(), the deploy timeout), the remote tail must end with it, or every followed
 * build would leave a process (and an sshd session) behind on the host.
 */
const APP = AppName.of('node-js-app');

/** The stand-in's tail processes following a log of this fixture. */
function tails(fixture: SshdFixture): number[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).flatMap((pid) => {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv[0] === 'tail' && argv.includes('-f') && argv.some((a) => a.startsWith(fixture.stateDir)) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition(); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('SshDokkuBuilds.follow', () => {
  let fixture: SshdFixture;
  beforeAll(async () => (fixture = await startSshd({ deployStepMs: 20 })));
  afterAll(async () => fixture?.stop());

  async function followPush(stepMs: number, deployTimeoutMs = 60_000) {
    const ssh = sshAdapters(fixture, { deployTimeoutMs });
    const push = fixture.push(APP.value, { stepMs });
    let id = '';
    for (const deadline = Date.now() + 10_000; !id && Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      id = (await ssh.builds.list(APP, { runningOnly: true }))[0]?.id ?? '';
    }
    let text = '';
    const follow = await ssh.builds.follow(APP, BuildId.of(id), { start: () => undefined, output: (chunk) => (text += chunk) });
    await until(() => tails(fixture).length > 0, 'the remote tail to start');
    return { ssh, push, follow, text: () => text };
  }

  it('ends when builds:info says the build is over, and the remote tail with it', async () => {
    const { ssh, push, follow, text } = await followPush(40);
    expect(await withTimeout(follow.done, 'the end of following', 20_000)).toEqual({ type: 'over' });
    expect(await push.done).toBe(0);
    expect(text()).toContain('=====> Application deployed:');
    await until(() => tails(fixture).length === 0, 'the remote tail to end');
    await until(() => ssh.connection.longLivedChannelsInUse === 0, 'the channel to be given back');
    await ssh.connection.close();
  });

  it('stop() ends the remote tail while the build goes on', async () => {
    const { ssh, push, follow } = await followPush(60);
    follow.stop();
    expect(await follow.done).toEqual({ type: 'stopped' });
    await until(() => tails(fixture).length === 0, 'the remote tail to end');
    expect(await push.done).toBe(0); // the build itself was not touched
    await ssh.connection.close();
  });

  /** A long build (1500 lines at its second step), attached late while the host's tail replays slowly. */
  async function attachLate(stepMs: number, app = APP) {
    const ssh = sshAdapters(fixture, {});
    const push = fixture.push(app.value, { lines: 1500, stepMs });
    let id = '';
    for (const deadline = Date.now() + 10_000; !id && Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      id = (await ssh.builds.list(app, { runningOnly: true }))[0]?.id ?? '';
    }
    await new Promise((r) => setTimeout(r, stepMs + 400)); // its 1500 lines are written by now
    let cut: boolean | undefined;
    let text = '';
    const follow = await ssh.builds.follow(app, BuildId.of(id), { start: (replayCut) => (cut = replayCut), output: (chunk) => (text += chunk) });
    return { ssh, push, follow, cut: () => cut, text: () => text.replace(/\r\n/g, '\n') }; // a pty's line ends
  }

  describe('attached late on a starved host (the replay of a long log pauses 500 ms after every 100 lines, 4.5 s in all)', () => {
    beforeEach(() => fixture.seed({ apps: fixture.readState().apps, replayPauseMs: 500 }));
    afterEach(() => fixture.seed({ apps: fixture.readState().apps, replayPauseMs: 0 }));

    it('the build still running: the replay starts mid-log, so it is cut, said at once; its 1000 lines pass as they come', async () => {
      const { ssh, push, follow, cut, text } = await attachLate(1_000);
      await until(() => cut() !== undefined, 'the replay to open');
      expect(cut()).toBe(true);
      expect(text().split('\n').length).toBeLessThan(1000); // told before the replay was in: nothing held back
      await until(() => text().split('\n').length > 1000, 'the whole replay');
      expect(text()).not.toContain('-----> Preparing node-js-app (git push)');
      follow.stop();
      process.kill(push.pid, 'SIGTERM'); // the rest of this slow build is of no interest
      await push.done;
      await ssh.connection.close();
    });

    it('the build ending during the replay: the follow ends only once the whole replay is in', async () => {
      const { ssh, push, follow, cut, text } = await attachLate(50);
      expect(await follow.done).toEqual({ type: 'over' });
      expect(await push.done).toBe(0);
      expect(cut()).toBe(true);
      expect(text().split('\n').length).toBeGreaterThan(1000);
      expect(text().split('unpacking object 1500 of 1500\n')).toHaveLength(2);
      expect(text()).toContain('=====> Application deployed:');
      await ssh.connection.close();
    });

    it('a failed build ending during the replay: its end, Dokku\'s " !" lines included, is in', async () => {
      const failing = AppName.of('failing-push-app');
      fixture.seed({ ...fixture.readState(), apps: { ...fixture.readState().apps, [failing.value]: { deployed: true, source: 'https://github.com/acme/will-fail.git' } }, replayPauseMs: 500 });
      const { ssh, push, follow, text } = await attachLate(50, failing);
      expect(await follow.done).toEqual({ type: 'over' });
      expect(await push.done).not.toBe(0);
      expect(text()).toMatch(/-----> Build failed\n !     App build failed\n/);
      // Read whole once it is over (builds:output of a finished build, under a pty): the " !" lines stay in place.
      const [build] = await ssh.builds.list(failing);
      const whole = await ssh.builds.output(failing, BuildId.of(build!.id));
      expect(whole.startsWith('-----> Preparing failing-push-app (git push)\n')).toBe(true);
      expect(whole).toMatch(/-----> Build failed\n !     App build failed\n/);
      await ssh.connection.close();
    });
  });

  it('gives up at ssh.deploy_timeout_ms, ending the remote tail', async () => {
    const { ssh, push, follow } = await followPush(100, 1_500);
    const end: BuildFollowEnd = await withTimeout(follow.done, 'the timeout', 10_000);
    expect(end).toEqual({ type: 'timed_out', reason: 'still running after ssh.deploy_timeout_ms (1500 ms) of following' });
    await until(() => tails(fixture).length === 0, 'the remote tail to end');
    await push.done;
    await ssh.connection.close();
  });
});
