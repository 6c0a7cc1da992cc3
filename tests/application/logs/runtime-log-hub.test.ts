import { AccessPolicy } from '../../../src/application/access/access-policy.js';
import { AppSecrets } from '../../../src/application/config/app-secrets.js';
import { ContainerChanges } from '../../../src/application/logs/container-changes.js';
import { RuntimeLogHub, type RuntimeLogSubscription } from '../../../src/application/logs/runtime-log-hub.js';
import { GetRuntimeLogs } from '../../../src/application/logs/get-runtime-logs.use-case.js';
import { SubscribeRuntimeLogs } from '../../../src/application/logs/subscribe-runtime-logs.use-case.js';
import { SandboxDokkuApps } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-apps.adapter.js';
import { SandboxDokkuConfig } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-config.adapter.js';
import { SandboxDokkuHost } from '../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { AppName } from '../../../src/domain/app-name.js';
import { unrestrictedCaller, type Caller } from '../../../src/domain/caller.js';
import { AppNotFound, HostUnreachable, LimitExceeded, NotDeployed } from '../../../src/domain/domain-errors.js';
import type { RuntimeLogItem } from '../../../src/domain/runtime-log-item.js';
import { Sanitizer } from '../../../src/domain/sanitizer.js';
import { Tenancy } from '../../../src/domain/tenancy.js';
import type { Limits } from '../../../src/ports/settings.port.js';
import { ControlledDokkuLogs } from '../../support/controlled-dokku-logs.js';
import { FakeClock } from '../../support/fake-clock.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { TEST_LIMITS } from '../../support/sandbox-world.js';
import { waitUntil } from '../../support/wait-for.js';

const SEED = [
  { name: 'shop', deployed: true, config: { DATABASE_URL: 'postgres://shop:sh0p-s3cret@db:5432/shop' } },
  { name: 'blog', deployed: true },
  { name: 'api', deployed: true },
  { name: 'acme-web', deployed: true },
  { name: 'draft', deployed: false },
];
const shop = AppName.of('shop');
const caller = (session: string, tenant: string | null = null): Caller => ({ ...unrestrictedCaller('http', session), tenant });

function world(limits: Partial<Limits> = {}, tenants: Record<string, string[]> = {}) {
  const host = new SandboxDokkuHost({ seed: SEED });
  const logs = new ControlledDokkuLogs();
  const apps = new SandboxDokkuApps(host);
  const secrets = new AppSecrets(new SandboxDokkuConfig(host), new Sanitizer(), new FakeClock(), new RecordingLogger());
  const changes = new ContainerChanges();
  const all: Limits = { ...TEST_LIMITS, streamLingerMs: 30, ...limits };
  const hub = new RuntimeLogHub(logs, apps, secrets, all, new RecordingLogger(), changes);
  const access = new AccessPolicy(new Tenancy(tenants));
  const subscribe = new SubscribeRuntimeLogs(hub, access, all, new GetRuntimeLogs(logs, all, secrets, access, hub));
  return { host, logs, hub, changes, subscribe, limits: all };
}
type World = ReturnType<typeof world>;

const messages = (items: readonly RuntimeLogItem[]) => items.map((item) => (item.type === 'line' ? item.line.message : `<${item.type}>`));
const readAll = (sub: RuntimeLogSubscription) => sub.read().map((event) => event.item);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RuntimeLogHub', () => {
  let w: World;
  afterEach(() => {
    w.hub.dispose();
    w.host.dispose();
  });

  it('starts one follower (--num 0) for the first subscriber and shares it: each line parsed and sanitized once', async () => {
    w = world();
    const [a, b] = await Promise.all([w.subscribe.execute(caller('s1'), { appName: 'shop' }), w.subscribe.execute(caller('s2'), { appName: 'shop' })]);
    expect(w.logs.follows).toHaveLength(1);
    expect(w.logs.last.query).toEqual({ num: 0 });
    w.logs.last.write('\x1b[36m2026-04-30T13:50:01.123456789Z app[web.1]:\x1b[0m Connecting to postgres://shop:sh0p-s3cret@db:5432/shop\r\n\x1b[36m2026-04-30T13:50');
    w.logs.last.write(':02.000000001Z app[web.1]:\x1b[0m ready\r\n');
    const [fromA, fromB] = [readAll(a), readAll(b)];
    expect(messages(fromA)).toEqual(['Connecting to postgres://shop:[REDACTED]@db:5432/shop', 'ready']);
    expect(fromA[0]).toEqual({ type: 'line', line: { timestamp: '2026-04-30T13:50:01.123456789Z', process: 'web.1', message: expect.any(String) } });
    // The very same objects: nothing is parsed or redacted per subscriber.
    expect(fromB[0]).toBe(fromA[0]);
    expect(w.hub.stats()).toEqual({ followedApps: ['shop'], subscriptions: 2 });
  });

  it('keeps following for the linger after the last subscriber leaves, then stops the remote follower', async () => {
    w = world({ streamLingerMs: 60 });
    const first = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    first.close();
    expect(w.hub.stats().subscriptions).toBe(0); // gone at once
    expect(w.logs.last.closed).toBe(false); // the follower lingers
    const again = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    expect(w.logs.follows).toHaveLength(1); // rejoined within the linger: the same follower
    again.close();
    await waitUntil(() => w.logs.last.closed, 'the follower to stop after the linger');
    expect(w.hub.stats()).toEqual({ followedApps: [], subscriptions: 0 });
  });

  it('a subscriber that never reads holds no more than the buffer, and its first read says how many it lost', async () => {
    w = world({ streamBufferSize: 10 });
    const slow = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    const fast = await w.subscribe.execute(caller('s2'), { appName: 'shop' });
    const fastSeen: string[] = [];
    for (let i = 1; i <= 25; i++) {
      w.logs.last.print({ message: `line ${i}` });
      fastSeen.push(...messages(readAll(fast)));
      expect(slow.pending).toBeLessThanOrEqual(10);
    }
    expect(fastSeen).toHaveLength(25);
    const events = slow.read();
    expect(events[0]!.item).toEqual({ type: 'gap', missed: 15, reason: expect.stringContaining('logs.runtime.stream_buffer_size = 10') });
    expect(messages(events.slice(1).map((e) => e.item))).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 16}`));
  });

  it('after a container change: the old follower is closed, `restarted`, then the new follower\'s lines', async () => {
    w = world();
    const sub = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    const old = w.logs.last;
    old.print({ message: 'old container' });
    w.changes.replaced(shop, 'restart succeeded');
    expect(old.closed).toBe(true);
    await waitUntil(() => w.logs.follows.length === 2, 'a new follower');
    expect(w.logs.last.query).toEqual({ num: 0 }); // nothing repeats
    old.write('\x1b[36m2026-04-30T13:50:09.000000000Z app[web.1]:\x1b[0m late line of the old follower\r\n');
    w.logs.last.print({ message: 'new container' });
    const items = readAll(sub);
    expect(messages(items)).toEqual(['old container', '<restarted>', 'new container']);
    expect(items[1]).toEqual({ type: 'restarted', missed: null, reason: "the app's containers changed (restart succeeded); following the new ones" });
  });

  it('changes of other apps leave the follower alone', async () => {
    w = world();
    await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    w.changes.replaced(AppName.of('blog'), 'restart succeeded');
    expect(w.logs.follows).toHaveLength(1);
    expect(w.logs.last.closed).toBe(false);
  });

  it('a lost connection: one `gap`, retries with backoff while the host is down, lines again once it is back', async () => {
    w = world();
    const sub = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    w.logs.last.print({ message: 'before' });
    w.logs.failures.push(new HostUnreachable('h:22', 'connection refused'), new HostUnreachable('h:22', 'connection refused'));
    w.logs.last.lose('the SSH connection was lost');
    await waitUntil(() => w.logs.follows.length === 2 && w.logs.failures.length === 0, 'two failed retries, then a follower', 5000);
    w.logs.last.print({ message: 'after' });
    const items = readAll(sub);
    expect(messages(items)).toEqual(['before', '<gap>', 'after']);
    expect(items[1]).toEqual({ type: 'gap', missed: null, reason: expect.stringMatching(/^the SSH connection was lost .*reconnecting$/) });
  });

  it('Dokku\'s follower ending while containers still run (replaced on the host): `gap`, then the current ones', async () => {
    w = world();
    const sub = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    w.logs.last.exit(0);
    await waitUntil(() => w.logs.follows.length === 2, 'a new follower', 5000);
    expect(readAll(sub)).toEqual([{ type: 'gap', missed: null, reason: expect.stringContaining('following the current ones') }]);
  });

  it('ends with the reason when the app is destroyed or has no running containers; then the subscriber is closed', async () => {
    w = world();
    const shopSub = await w.subscribe.execute(caller('s1'), { appName: 'shop' });
    const blogSub = await w.subscribe.execute(caller('s1'), { appName: 'blog' });
    const [shopFollow, blogFollow] = w.logs.follows;
    shopFollow!.exit(20, 'App shop does not exist');
    w.host.stopContainers(w.host.app('blog'));
    blogFollow!.exit(0);
    await waitUntil(() => blogSub.pending > 0 && shopSub.pending > 0, 'both ends');
    expect(readAll(shopSub)).toEqual([{ type: 'end', reason: 'the app shop no longer exists' }]);
    expect(readAll(blogSub)).toEqual([{ type: 'end', reason: 'the app blog has no running containers' }]);
    expect([shopSub.closed, blogSub.closed]).toEqual([true, true]);
    expect(w.hub.stats().followedApps).toEqual([]);
    // Dokku's refusal was not taken for a log line.
    expect(messages(readAll(shopSub))).toEqual([]);
  });

  it('refuses a first subscriber of a missing or undeployed app, before following anything', async () => {
    w = world();
    await expect(w.subscribe.execute(caller('s1'), { appName: 'nope' })).rejects.toBeInstanceOf(AppNotFound);
    await expect(w.subscribe.execute(caller('s1'), { appName: 'draft' })).rejects.toBeInstanceOf(NotDeployed);
    expect(w.logs.follows).toHaveLength(0);
    expect(w.hub.stats()).toEqual({ followedApps: [], subscriptions: 0 });
  });

  it('limits: subscriptions per session, per tenant, followers in total — each refusal names its key and value', async () => {
    w = world({ maxStreamsPerSession: 2, maxStreamsPerTenant: 3, maxStreams: 2 }, { acme: ['acme-*'], other: ['shop', 'blog', 'api'] });
    await w.subscribe.execute(caller('a'), { appName: 'shop' });
    await w.subscribe.execute(caller('a'), { appName: 'shop' });
    await expect(w.subscribe.execute(caller('a'), { appName: 'shop' })).rejects.toThrow('logs.runtime.max_streams_per_session = 2');
    await w.subscribe.execute(caller('b'), { appName: 'blog' });
    await expect(w.subscribe.execute(caller('c'), { appName: 'blog' })).rejects.toThrow('logs.runtime.max_streams_per_tenant = 3');
    // A tenant's sessions count for that tenant only; two apps are followed, a third would be one too many.
    const acme = caller('d', 'acme');
    await expect(w.subscribe.execute(acme, { appName: 'acme-web' })).rejects.toThrow(LimitExceeded);
    await expect(w.subscribe.execute(acme, { appName: 'acme-web' })).rejects.toThrow('logs.runtime.max_streams = 2');
    // …unless one of them only lingers (nobody subscribed): it gives way.
    w = (w.hub.dispose(), w.host.dispose(), world({ maxStreams: 1, streamLingerMs: 60_000 }));
    (await w.subscribe.execute(caller('a'), { appName: 'shop' })).close();
    await w.subscribe.execute(caller('a'), { appName: 'blog' });
    expect(w.hub.stats().followedApps).toEqual(['blog']);
    expect(w.logs.follows[0]!.closed).toBe(true);
  });

  it('concurrent joins of one session cannot pass the per-session limit together', async () => {
    w = world({ maxStreamsPerSession: 3 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => w.subscribe.execute(caller('a'), { appName: 'shop' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });

  it('a tenant\'s caller cannot follow another tenant\'s app: answered as a missing app, nothing followed', async () => {
    w = world({}, { acme: ['acme-*'] });
    await expect(w.subscribe.execute(caller('a', 'acme'), { appName: 'shop' })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(w.logs.follows).toHaveLength(0);
  });

  it('filters by process type; markers always come', async () => {
    w = world();
    const sub = await w.subscribe.execute(caller('a'), { appName: 'shop', processType: 'worker' });
    w.logs.last.print({ proc: 'web.1', message: 'web line' }, { proc: 'worker.1', message: 'job done' }, { proc: 'worker.2', message: 'job 2' });
    w.changes.replaced(shop, 'scale succeeded');
    await flush();
    expect(messages(readAll(sub))).toEqual(['job done', 'job 2', '<restarted>']);
  });

  it('resumes after an event id: exactly where it left off, or a gap saying what is unknown or lost', async () => {
    w = world({ streamBufferSize: 10 });
    const first = await w.subscribe.execute(caller('a'), { appName: 'shop' });
    w.logs.last.print({ message: 'one' }, { message: 'two' }, { message: 'three' });
    const events = first.read();
    const resumed = await w.subscribe.execute(caller('b'), { appName: 'shop', after: events[0]!.id });
    expect(messages(readAll(resumed))).toEqual(['two', 'three']);
    const foreign = await w.subscribe.execute(caller('c'), { appName: 'shop', after: 'zzz-3' });
    expect(readAll(foreign)).toEqual([{ type: 'gap', missed: null, reason: expect.stringContaining('unknown') }]);
    for (let i = 0; i < 12; i++) w.logs.last.print({ message: `more ${i}` });
    const behind = await w.subscribe.execute(caller('d'), { appName: 'shop', after: events[2]!.id });
    expect(readAll(behind)[0]).toMatchObject({ type: 'gap', missed: 2 });
  });

  it('skip() passes over what a backpressured consumer could not take, and says how much', async () => {
    w = world();
    const sub = await w.subscribe.execute(caller('a'), { appName: 'shop' });
    w.logs.last.print({ message: '1' }, { message: '2' }, { message: '3' });
    expect(sub.skip()).toBe(3);
    w.logs.last.print({ message: '4' });
    expect(messages(readAll(sub))).toEqual(['4']);
  });

  it('answers a poll from the buffer only when it provably holds the same lines', async () => {
    w = world();
    const sub = await w.subscribe.execute(caller('a'), { appName: 'shop' });
    const at = (s: number) => `2026-04-30T13:50:${String(s).padStart(2, '0')}.000000000Z`;
    // Two containers, arriving slightly out of time order (parallel `docker logs`).
    w.logs.last.print({ proc: 'web.2', message: 'b2', at: at(2) }, { proc: 'web.1', message: 'a1', at: at(1) }, { proc: 'worker.1', message: 'w3', at: at(3) });
    expect(w.hub.recentLines(shop, 4)).toBeUndefined(); // only 3 lines since the follower started
    expect(w.hub.recentLines(shop, 3)?.map((l) => l.message)).toEqual(['a1', 'b2', 'w3']);
    expect(w.hub.recentLines(shop, 2, { value: 'web' } as never)?.map((l) => l.message)).toEqual(['a1', 'b2']);
    expect(w.hub.recentLines(AppName.of('blog'), 1)).toBeUndefined(); // not followed
    w.changes.replaced(shop, 'restart succeeded');
    await waitUntil(() => w.logs.follows.length === 2, 'the new follower');
    expect(w.hub.recentLines(shop, 1)).toBeUndefined(); // a restart inside the window
    w.logs.last.print({ message: 'fresh', at: at(9) });
    expect(w.hub.recentLines(shop, 1)?.map((l) => l.message)).toEqual(['fresh']);
    sub.close();
  });
});
