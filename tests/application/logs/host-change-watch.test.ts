import { afterEach, describe, expect, it } from '@jest/globals';
import { AccessPolicy } from '../../../src/application/access/access-policy.js';
import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { DeployLocks } from '../../../src/application/deployments/deploy-locks.js';
import { ContainerChanges } from '../../../src/application/logs/container-changes.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { HostChangeWatch } from '../../../src/application/logs/host-change-watch.js';
import { RuntimeLogHub, type RuntimeLogSubscription } from '../../../src/application/logs/runtime-log-hub.js';
import { SubscribeRuntimeLogs } from '../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { InMemoryClusterLock } from '../../../src/adapters/outbound/memory/in-memory-cluster-lock.adapter.js';
import { InMemoryDeploymentStore } from '../../../src/adapters/outbound/memory/in-memory-deployment-store.adapter.js';
import { SandboxDokkuConfig } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuHost } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { AppName } from '../../../src/domain/app-name.js';
import { unrestrictedCaller } from '../../../src/domain/caller.js';
import type { HostBuild } from '../../../src/domain/host-build.js';
import { Sanitizer } from '../../../src/domain/sanitizer.js';
import { Tenancy } from '../../../src/domain/tenancy.js';
import type { AppStatus, DokkuApps } from '../../../src/ports/dokku-apps.port.js';
import type { DokkuBuilds } from '../../../src/ports/dokku-builds.port.js';
import { ControlledDokkuLogs } from '../../support/controlled-dokku-logs.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { TEST_LIMITS } from '../../support/sandbox-world.js';
import { waitUntil } from '../../support/wait-for.js';

/** A host whose running containers the test sets, counting every ps:report the watch sends. */
class ScriptedApps {
  containers: Record<string, string> = { 'web.1': 'aaa111' };
  reads = 0;
  /** The next read waits for this (after taking its snapshot of the containers): a look kept in flight. */
  holdNext?: Promise<void>;
  async status(app: AppName): Promise<AppStatus> {
    this.reads += 1;
    const containers = { ...this.containers };
    const hold = this.holdNext;
    this.holdNext = undefined;
    if (hold) await hold;
    const processes = Object.entries(containers).map(([name, id]) => {
      const [type, index] = name.split('.') as [string, string];
      return { type, index: Number(index), status: id === 'stopped' ? 'exited' : 'running', ...(id === 'stopped' ? {} : { containerId: id }) };
    });
    const running = processes.some((p) => p.status === 'running') ? 'true' : 'false';
    return { name: app.value, deployed: true, running, processes, scale: { web: 1 }, urls: [] };
  }
}

const PUSH: HostBuild = {
  id: '0mabc123xyz', app: 'shop', kind: 'build', source: 'git-hook', status: 'succeeded',
  startedAt: new Date('2026-05-01T10:00:00Z'), finishedAt: new Date('2026-05-01T10:01:00Z'), exitCode: 0,
};

function world(pollMs = 10) {
  const host = new SandboxDokkuHost({ seed: [{ name: 'shop', deployed: true }] });
  const apps = new ScriptedApps();
  const logs = new ControlledDokkuLogs();
  const builds = { supported: async () => true, list: async () => [PUSH] } as unknown as DokkuBuilds;
  const changes = new ContainerChanges();
  const secrets = new AppSecrets(new SandboxDokkuConfig(host), new Sanitizer(), new FakeClock(), new RecordingLogger());
  const hub = new RuntimeLogHub(logs, apps as unknown as DokkuApps, secrets, { ...TEST_LIMITS, streamLingerMs: 0 }, new RecordingLogger(), changes);
  // The cluster's lock table: another instance's deploy holds the app's lock there.
  const lock = new InMemoryClusterLock();
  const locks = new DeployLocks(lock, new InMemoryDeploymentStore(new FakeClock(), { retentionMs: 60_000, maxDeployments: 10 }), new RecordingLogger());
  const watch = new HostChangeWatch(apps as unknown as DokkuApps, builds, changes, { pollMs }, new RecordingLogger(), locks);
  const access = new AccessPolicy(new Tenancy());
  const subscribe = new SubscribeRuntimeLogs(hub, access, TEST_LIMITS, new GetRuntimeLogs(logs, TEST_LIMITS, secrets, access, hub));
  const join = () => subscribe.execute(unrestrictedCaller('http', 's1'), { appName: 'shop' });
  return { host, apps, logs, changes, hub, watch, join, lock };
}
type World = ReturnType<typeof world>;
const markers = (sub: RuntimeLogSubscription) => sub.read().map((e) => e.item).filter((item) => item.type !== 'line');
const flush = (ms = 60) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HostChangeWatch', () => {
  let w: World;
  afterEach(() => {
    w.hub.dispose();
    w.watch.dispose();
    w.host.dispose();
  });

  it('a change of the containers made outside this server restarts the follower (--num 0) behind a `restarted` naming the host\'s latest build', async () => {
    w = world();
    const sub = await w.join();
    await waitUntil(() => w.apps.reads >= 3, 'a few looks at the containers');
    expect(w.logs.follows).toHaveLength(1); // nothing changed: nothing restarted
    w.apps.containers = { 'web.1': 'bbb222' }; // a git push on the host
    await waitUntil(() => w.logs.follows.length === 2, 'a new follower');
    expect(w.logs.follows[0]!.closed).toBe(true);
    expect(w.logs.last.query).toEqual({ num: 0 });
    const [restarted] = markers(sub);
    expect(restarted).toEqual({
      type: 'restarted', missed: null,
      reason: "the app's containers changed (a change made outside this server; the host's latest build: 0mabc123xyz, build by git-hook, succeeded at 2026-05-01T10:01:00.000Z); following the new ones",
    });
    // The new follow is the new baseline: nothing more is reported.
    const reads = w.apps.reads;
    await waitUntil(() => w.apps.reads >= reads + 3, 'more looks');
    expect(w.logs.follows).toHaveLength(2);
  });

  it('a change while an operation of ours is under way is its own: one restart, by our own report, not a second one', async () => {
    w = world();
    const sub = await w.join();
    await waitUntil(() => w.apps.reads >= 2, 'the baseline');
    const end = w.changes.begin(AppName.of('shop'));
    w.apps.containers = { 'web.1': 'ccc333' }; // our restart replaced them on the host
    const reads = w.apps.reads;
    await waitUntil(() => w.apps.reads >= reads + 3, 'looks while ours runs');
    expect(w.logs.follows).toHaveLength(1);
    w.changes.replaced(AppName.of('shop'), 'restart succeeded'); // ours ends: it reports, then its lease goes
    end();
    await waitUntil(() => w.logs.follows.length === 2, 'the restart ours asked for');
    const after = w.apps.reads;
    await waitUntil(() => w.apps.reads >= after + 3, 'looks after ours');
    expect(w.logs.follows).toHaveLength(2);
    expect(markers(sub).map((m) => m.type === 'restarted' && m.reason)).toEqual(["the app's containers changed (restart succeeded); following the new ones"]);
  });

  it('a change while another instance runs an operation of the app (its deploy lock held) is that one\'s: not reported here', async () => {
    w = world();
    const sub = await w.join();
    await waitUntil(() => w.apps.reads >= 2, 'the baseline');
    const held = await w.lock.acquire('deploy:shop', 'deployment on instance B');
    w.apps.containers = { 'web.1': 'ddd444' }; // B's deploy replaced them on the host
    const reads = w.apps.reads;
    await waitUntil(() => w.apps.reads >= reads + 3, 'looks while B deploys');
    expect(w.logs.follows).toHaveLength(1);
    expect(markers(sub)).toEqual([]);
    if ('release' in held) await held.release();
  });

  it('a change reported while a look is under way is not reported again by that look', async () => {
    w = world();
    const sub = await w.join();
    await waitUntil(() => w.apps.reads >= 2, 'the baseline');
    w.apps.containers = { 'web.1': 'eee555' }; // ours replaced them on the host
    let releaseLook!: () => void;
    let releaseFollow!: () => void;
    w.apps.holdNext = new Promise<void>((resolve) => (releaseLook = resolve));
    w.logs.holdNextFollow = new Promise<void>((resolve) => (releaseFollow = resolve));
    const reads = w.apps.reads;
    await waitUntil(() => w.apps.reads > reads, 'a look in flight, holding the new containers');
    w.changes.replaced(AppName.of('shop'), 'deploy succeeded'); // ours ends and reports while that look is out
    releaseLook(); // the look comes back before the new follow has started (and told the watch)
    await flush();
    releaseFollow();
    await waitUntil(() => w.logs.follows.length >= 2, 'the restart ours asked for');
    const after = w.apps.reads;
    await waitUntil(() => w.apps.reads >= after + 3, 'looks after ours');
    expect(w.logs.follows).toHaveLength(2);
    expect(markers(sub).map((m) => m.type === 'restarted' && m.reason)).toEqual(["the app's containers changed (deploy succeeded); following the new ones"]);
  });

  it('containers that only stopped are not reported (the remote follower ends by itself and says why)', async () => {
    w = world();
    await w.join();
    await waitUntil(() => w.apps.reads >= 2, 'the baseline');
    w.apps.containers = { 'web.1': 'stopped' };
    const reads = w.apps.reads;
    await waitUntil(() => w.apps.reads >= reads + 3, 'looks after the stop');
    expect(w.logs.follows).toHaveLength(1);
  });

  it('watches only while the app is followed: the last subscriber gone, no more looks', async () => {
    w = world();
    const sub = await w.join();
    await waitUntil(() => w.apps.reads >= 2, 'looks while followed');
    expect(w.watch.watched).toEqual(['shop']);
    sub.close(); // linger 0: the follower stops now
    expect(w.watch.watched).toEqual([]);
    const reads = w.apps.reads;
    await flush();
    expect(w.apps.reads).toBeLessThanOrEqual(reads + 1); // at most the look already under way
  });

  it('host_change_poll_seconds 0: never looks', async () => {
    w = world(0);
    await w.join();
    const reads = w.apps.reads; // the hub's own check that the app is deployed
    await flush();
    expect(w.apps.reads).toBe(reads);
    expect(w.watch.watched).toEqual([]);
  });
});
