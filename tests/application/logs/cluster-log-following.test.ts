import { AccessPolicy } from '../../../src/application/access/access-policy.js';
import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { ClusterLogFollowing } from '../../../src/application/logs/cluster-log-following.js';
import { ContainerChanges } from '../../../src/application/logs/container-changes.js';
import { RuntimeLogHub, type RuntimeLogSubscription } from '../../../src/application/logs/runtime-log-hub.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { SubscribeRuntimeLogs } from '../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { InMemoryClusterLock } from '../../../src/adapters/outbound/memory/in-memory-cluster-lock.adapter.js';
import { InMemoryRuntimeLogFeed } from '../../../src/adapters/outbound/memory/in-memory-runtime-log-feed.adapter.js';
import { InMemorySessionPresence } from '../../../src/adapters/outbound/memory/in-memory-session-presence.adapter.js';
import { SandboxDokkuApps } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuHost } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { AppName } from '../../../src/domain/app-name.js';
import { ALL_SCOPES, callerOf, unrestrictedCaller } from '../../../src/domain/caller.js';
import { LimitExceeded, NotDeployed, StateStoreUnavailable } from '../../../src/domain/domain-errors.js';
import type { RuntimeLogItem } from '../../../src/domain/runtime-log-item.js';
import { feedEntryIdBefore } from '../../../src/domain/feed-entry-id.js';
import { Sanitizer } from '../../../src/domain/sanitizer.js';
import { Tenancy } from '../../../src/domain/tenancy.js';
import type { RuntimeLogFeed } from '../../../src/ports/runtime-log-feed.port.js';
import type { SessionPresence } from '../../../src/ports/session-presence.port.js';
import type { Limits } from '../../../src/ports/settings.port.js';
import { ControlledDokkuLogs } from '../../support/controlled-dokku-logs.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { TEST_LIMITS } from '../../support/sandbox-world.js';
import { waitUntil } from '../../support/wait-for.js';

/**
 * ClusterLogFollowing over the in-memory adapters of one process acting as a cluster: two hubs ("instances") share one
 * feed (shared), one lock, one presence table and one host. The lease machinery with expiry is Redis' (e2e suite).
 */
const SEED = [{ name: 'shop', deployed: true }, { name: 'draft', deployed: false }];
const LIMITS: Limits = { ...TEST_LIMITS, streamLingerMs: 20 };
const caller = (session: string) => unrestrictedCaller('http', session);
const tenantCaller = (tenant: string, session: string) => callerOf({ tokenId: `${tenant}-bot`, tenant, scopes: ALL_SCOPES }, 'http', session);
const SHOP = AppName.of('shop');

function cluster(
  feed: RuntimeLogFeed = new InMemoryRuntimeLogFeed(LIMITS.streamBufferSize, true),
  { limits = LIMITS, presence = new InMemorySessionPresence() as SessionPresence } = {},
) {
  const host = new SandboxDokkuHost({ seed: SEED });
  const logs = new ControlledDokkuLogs();
  const apps = new SandboxDokkuApps(host);
  const lock = new InMemoryClusterLock();
  let n = 0;
  const instance = () => {
    const secrets = new AppSecrets(new SandboxDokkuConfig(host), new Sanitizer(), new FakeClock(), new RecordingLogger());
    const changes = new ContainerChanges();
    const id = `i${(n += 1)}`;
    const following = new ClusterLogFollowing(feed, lock, presence, { leaseMs: 60 }, logs, apps, secrets, limits, new RecordingLogger(), { sortableId: () => id });
    const hub = new RuntimeLogHub(logs, apps, secrets, limits, new RecordingLogger(), changes, following);
    const access = new AccessPolicy(new Tenancy());
    return { hub, changes, subscribe: new SubscribeRuntimeLogs(hub, access, limits, new GetRuntimeLogs(logs, limits, secrets, access, hub)) };
  };
  return { host, logs, lock, a: instance(), b: instance() };
}
type Cluster = ReturnType<typeof cluster>;

const messages = (items: readonly RuntimeLogItem[]) => items.map((item) => (item.type === 'line' ? item.line.message : `<${item.type}>`));
/** Reads `sub` until `count` events came (events are delivered asynchronously through the feed). */
async function readEvents(sub: RuntimeLogSubscription, count: number) {
  const events: ReturnType<RuntimeLogSubscription['read']> = [];
  await waitUntil(() => (events.push(...sub.read()), events.length >= count), `${count} events`, 2_000);
  return events;
}

describe('ClusterLogFollowing (instances of one process over the in-memory adapters)', () => {
  let c: Cluster;
  afterEach(async () => {
    await Promise.all([c.a.hub.dispose(), c.b.hub.dispose()]);
    c.host.dispose();
  });

  it('subscribers on two instances share one follow; the same lines reach both under the same feed ids', async () => {
    c = cluster();
    const onA = await c.a.subscribe.execute(caller('a1'), { appName: 'shop' });
    const onB = await c.b.subscribe.execute(caller('b1'), { appName: 'shop' });
    await waitUntil(() => c.logs.follows.length === 1, 'the follow');
    c.logs.last.print({ message: 'one' }, { message: 'two' });
    const [fromA, fromB] = [await readEvents(onA, 2), await readEvents(onB, 2)];
    expect(messages(fromA.map((e) => e.item))).toEqual(['one', 'two']);
    expect(fromB).toEqual(fromA);
    expect(fromA[0]!.id).toMatch(/^\d+-\d+$/);
    expect(c.logs.follows).toHaveLength(1);
    expect(await c.lock.holder('logs:shop')).toBe('instance-i1'); // the first instance to join follows
  });

  it('an id from one instance resumes on the other right after it', async () => {
    c = cluster();
    const onA = await c.a.subscribe.execute(caller('a1'), { appName: 'shop' });
    await waitUntil(() => c.logs.follows.length === 1, 'the follow');
    c.logs.last.print({ message: 'one' }, { message: 'two' }, { message: 'three' });
    const seen = await readEvents(onA, 3);
    const resumed = await c.b.subscribe.execute(caller('b1'), { appName: 'shop', after: seen[0]!.id });
    expect(messages((await readEvents(resumed, 2)).map((e) => e.item))).toEqual(['two', 'three']);
    const foreign = await c.b.subscribe.execute(caller('b2'), { appName: 'shop', after: 'zz9-12' });
    expect((await readEvents(foreign, 1))[0]!.item).toMatchObject({ type: 'gap', missed: null });
  });

  it('a backlog\'s id resumes from the feed\'s first entry with no gap: 0-0 on the instance that gave it, the id before the first line anywhere', async () => {
    c = cluster();
    const onA = await c.a.subscribe.execute(caller('a1'), { appName: 'shop' });
    await waitUntil(() => c.logs.follows.length === 1, 'the follow');
    expect(onA.resumeId).toBe('0-0'); // what a backlog's events carry, before any line of the feed
    c.logs.last.print({ message: 'one' }, { message: 'two' });
    const seen = await readEvents(onA, 2);
    const again = await c.a.subscribe.execute(caller('a2'), { appName: 'shop', after: '0-0' });
    expect(messages((await readEvents(again, 2)).map((e) => e.item))).toEqual(['one', 'two']);
    // The id just before the feed's first entry (what a backlog gets once the feed has a line) holds on any instance.
    const fromThere = await c.b.subscribe.execute(caller('b1'), { appName: 'shop', after: feedEntryIdBefore(seen[0]!.id) });
    expect(messages((await readEvents(fromThere, 2)).map((e) => e.item))).toEqual(['one', 'two']);
    // 0-0 from elsewhere may predate a feed that was lost since (a Redis without persistence restarted): a gap.
    const elsewhere = await c.b.subscribe.execute(caller('b2'), { appName: 'shop', after: '0-0' });
    expect(messages((await readEvents(elsewhere, 3)).map((e) => e.item))).toEqual(['<gap>', 'one', 'two']);
  });

  it('a container change signalled on the instance that does not follow restarts the follower at the holder', async () => {
    c = cluster();
    const onA = await c.a.subscribe.execute(caller('a1'), { appName: 'shop' });
    const onB = await c.b.subscribe.execute(caller('b1'), { appName: 'shop' });
    await waitUntil(() => c.logs.follows.length === 1, 'the follow');
    c.b.changes.replaced(AppName.of('shop'), 'restart succeeded');
    await waitUntil(() => c.logs.follows.length === 2, 'a new follow at the holder');
    expect(c.logs.follows[0]!.closed).toBe(true);
    for (const sub of [onA, onB]) expect((await readEvents(sub, 1))[0]!.item).toMatchObject({ type: 'restarted', reason: expect.stringContaining('restart succeeded') });
  });

  it('the follower goes on while any instance has subscribers; after the last leaves everywhere it stops and frees the lease', async () => {
    c = cluster();
    const onA = await c.a.subscribe.execute(caller('a1'), { appName: 'shop' });
    const onB = await c.b.subscribe.execute(caller('b1'), { appName: 'shop' });
    await waitUntil(() => c.logs.follows.length === 1, 'the follow');
    onA.close(); // the holder's own subscriber leaves; B's stays
    await new Promise((r) => setTimeout(r, 200)); // several linger and tick periods
    expect(c.logs.last.closed).toBe(false);
    c.logs.last.print({ message: 'still followed' });
    expect(messages((await readEvents(onB, 1)).map((e) => e.item))).toEqual(['still followed']);
    onB.close();
    await waitUntil(() => c.logs.last.closed, 'the follow to stop');
    let holder: string | null = 'unknown';
    await waitUntil(() => (void c.lock.holder('logs:shop').then((h) => (holder = h)), holder === null), 'the lease to be freed');
    expect(c.a.hub.stats().followedApps).toEqual([]);
  });

  it('refuses an app that is not deployed (first subscriber of an instance), as one process does', async () => {
    c = cluster();
    await expect(c.a.subscribe.execute(caller('a1'), { appName: 'draft' })).rejects.toBeInstanceOf(NotDeployed);
    expect(c.logs.follows).toHaveLength(0);
    expect(c.a.hub.stats().followedApps).toEqual([]);
  });

  it('with a feed that is not shared (store.type: memory), the hub follows by itself, its ids its own', async () => {
    c = cluster(new InMemoryRuntimeLogFeed(LIMITS.streamBufferSize));
    const onA = await c.a.subscribe.execute(caller('a1'), { appName: 'shop' });
    c.logs.last.print({ message: 'one' });
    const [event] = onA.read();
    expect(event!.id).toMatch(/^[0-9a-z]+-1$/);
    expect(await c.lock.holder('logs:shop')).toBeNull();
  });

  describe('logs.runtime.max_streams_per_tenant holds for the instances together (presence in the shared store)', () => {
    const CAPPED: Limits = { ...LIMITS, maxStreamsPerTenant: 3 };
    const refusal = /^Tenant "acme" already hold 3 live log subscriptions on the instances of this server together \(logs\.runtime\.max_streams_per_tenant = 3\)\.$/;

    it("a tenant's subscriptions split across A and B fill the cap; the next is refused on either; one closing frees a place on the other", async () => {
      c = cluster(undefined, { limits: CAPPED });
      const held = [
        await c.a.hub.join(tenantCaller('acme', 'a1'), SHOP),
        await c.b.hub.join(tenantCaller('acme', 'b1'), SHOP),
        await c.a.hub.join(tenantCaller('acme', 'a2'), SHOP),
      ];
      expect(c.b.hub.stats().subscriptions).toBe(1); // B alone is far from the cap: the refusal is the cluster's
      for (const hub of [c.a.hub, c.b.hub]) {
        const refused = hub.join(tenantCaller('acme', 'x'), SHOP);
        await expect(refused).rejects.toBeInstanceOf(LimitExceeded);
        await expect(refused).rejects.toThrow(refusal);
      }
      await expect(c.b.hub.join(tenantCaller('other', 'o1'), SHOP)).resolves.toBeDefined(); // another tenant has its own places
      held[0]!.close(); // on A
      const again = await c.b.hub.join(tenantCaller('acme', 'b2'), SHOP);
      expect(again.closed).toBe(false);
      await expect(c.a.hub.join(tenantCaller('acme', 'a3'), SHOP)).rejects.toThrow(refusal);
    });

    it('joins started at once on both instances for the last places: exactly the cap passes', async () => {
      c = cluster(undefined, { limits: CAPPED });
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? c.b.hub : c.a.hub).join(tenantCaller('acme', `s${i}`), SHOP)),
      );
      expect(attempts.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of attempts.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LimitExceeded);
      expect(c.a.hub.stats().subscriptions + c.b.hub.stats().subscriptions).toBe(3);
    });

    it('the store unreachable: a new subscription is refused with StateStoreUnavailable and holds nothing', async () => {
      const down: SessionPresence = {
        claim: () => Promise.reject(new StateStoreUnavailable('Redis at redis://127.0.0.1:1 refused the connection')),
        release: () => Promise.resolve(),
        count: () => Promise.reject(new StateStoreUnavailable('down')),
      };
      c = cluster(undefined, { limits: CAPPED, presence: down });
      await expect(c.a.hub.join(tenantCaller('acme', 'a1'), SHOP)).rejects.toBeInstanceOf(StateStoreUnavailable);
      expect(c.a.hub.stats()).toEqual({ followedApps: [], subscriptions: 0 });
      expect(c.logs.follows).toHaveLength(0);
    });

    it('with a feed that is not shared (store.type: memory), each process counts its own subscriptions, as before', async () => {
      c = cluster(new InMemoryRuntimeLogFeed(LIMITS.streamBufferSize), { limits: { ...LIMITS, maxStreamsPerTenant: 1 } });
      await c.a.hub.join(tenantCaller('acme', 'a1'), SHOP);
      await c.b.hub.join(tenantCaller('acme', 'b1'), SHOP);
      await expect(c.a.hub.join(tenantCaller('acme', 'a2'), SHOP)).rejects.toThrow(
        /^Tenant "acme" already hold 1 live log subscriptions \(logs\.runtime\.max_streams_per_tenant = 1\)\.$/,
      );
    });
  });
});
