import type { ClusterLock, HeldLock } from '../../src/ports/cluster-lock.port.js';
import type { RateLimit, RateLimiter } from '../../src/ports/rate-limiter.port.js';
import type { SessionPresence } from '../../src/ports/session-presence.port.js';

/** One instance of dokku-mcp as the shared-state ports see it. */
export interface StateInstance {
  limiter(limit: RateLimit): RateLimiter;
  readonly presence: SessionPresence;
  readonly lock: ClusterLock;
  /** The instance dies: it stops renewing what it holds and releases nothing. */
  die(): void;
}

/**
 * An installation under test: `instance()` adds an instance sharing its state. In memory the process is the whole
 * installation, so every instance is the same one; with a shared store (Redis) each is its own connection and adapters,
 * as a separate process would have.
 */
export interface StateSubject {
  /** store.lease_ttl_ms of every instance. */
  readonly leaseMs: number;
  instance(): Promise<StateInstance>;
  teardown(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds (every 20 ms), failing after `timeoutMs` with `what`. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The behaviour of RateLimiter, SessionPresence and ClusterLock that every adapter must have (memory, Redis), asserted
 * through the ports only. Each case builds its own installation, so cases do not depend on each other.
 */
export function describeSharedStateContract(name: string, shared: boolean, make: () => Promise<StateSubject>): void {
  /** Cases about separate instances over one store (expiry, a dead instance): memory has one process, nothing expires. */
  const acrossProcesses = (title: string, test: () => Promise<void>): void => {
    if (shared) it(title, test);
  };
  describe(`shared state contract: ${name}`, () => {
    let subject: StateSubject;
    beforeEach(async () => { subject = await make(); });
    afterEach(async () => { await subject.teardown(); });

    describe('RateLimiter (token bucket)', () => {
      it('allows a burst, then refuses with the limit and when to retry (whole seconds)', async () => {
        const limiter = (await subject.instance()).limiter({ perMinute: 1, burst: 3 });
        for (let i = 0; i < 3; i++) expect(await limiter.take('token:a')).toEqual({ allowed: true });
        const refused = await limiter.take('token:a');
        expect(refused).toMatchObject({ allowed: false, limit: { perMinute: 1, burst: 3 } });
        // One token a minute: the next is about 60 s away.
        const retry = refused.allowed ? 0 : refused.retryAfterSeconds;
        expect(retry).toBeGreaterThanOrEqual(55);
        expect(retry).toBeLessThanOrEqual(60);
        expect(await limiter.take('token:b')).toEqual({ allowed: true }); // another key, another bucket
      });

      it('refills continuously: a spent bucket gives a token again after 1/rate', async () => {
        const limiter = (await subject.instance()).limiter({ perMinute: 60, burst: 1 }); // a token a second
        expect((await limiter.take('k')).allowed).toBe(true);
        const refused = await limiter.take('k');
        expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
        await eventually(async () => (await limiter.take('k')).allowed, 'a refilled token', 3_000);
      });

      it('takes from one bucket for every instance: a burst raced across two gets exactly `burst` through', async () => {
        const limit = { perMinute: 1, burst: 5 };
        const a = (await subject.instance()).limiter(limit);
        const b = (await subject.instance()).limiter(limit);
        const decisions = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).take('token:shared')));
        expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      });
    });

    describe('SessionPresence (per-tenant session cap)', () => {
      it('admits up to max per group, counts, re-admits a held id without counting it twice, frees on release', async () => {
        const { presence } = await subject.instance();
        expect(await presence.claim('shop', 's1', 2)).toEqual({ ok: true });
        expect(await presence.claim('shop', 's2', 2)).toEqual({ ok: true });
        expect(await presence.claim('shop', 's1', 2)).toEqual({ ok: true }); // already counted
        expect(await presence.claim('shop', 's3', 2)).toEqual({ ok: false, held: 2 });
        expect(await presence.claim('billing', 'b1', 2)).toEqual({ ok: true }); // another group, its own places
        expect(await presence.count('shop')).toBe(2);
        await presence.release('shop', 's1');
        await presence.release('shop', 's1'); // idempotent
        expect(await presence.count('shop')).toBe(1);
        expect(await presence.claim('shop', 's3', 2)).toEqual({ ok: true });
        expect(await presence.count('nobody')).toBe(0);
      });

      it('admits exactly `max` of many claims raced across two instances', async () => {
        const a = (await subject.instance()).presence;
        const b = (await subject.instance()).presence;
        const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).claim('shop', `s${i}`, 3)));
        expect(claims.filter((c) => c.ok)).toHaveLength(3);
        expect(await a.count('shop')).toBe(3);
        expect(await b.count('shop')).toBe(3);
      });

      acrossProcesses('keeps the sessions of a live instance counted past the lease (it renews them)', async () => {
        const { presence } = await subject.instance();
        await presence.claim('shop', 's1', 5);
        await sleep(subject.leaseMs * 3);
        expect(await (await subject.instance()).presence.count('shop')).toBe(1);
      });

      acrossProcesses("drops a dead instance's share after the lease, so others may take its places", async () => {
        const dying = await subject.instance();
        const survivor = await subject.instance();
        expect(await dying.presence.claim('shop', 'd1', 2)).toEqual({ ok: true });
        expect(await survivor.presence.claim('shop', 's1', 2)).toEqual({ ok: true });
        expect(await survivor.presence.claim('shop', 's2', 2)).toEqual({ ok: false, held: 2 });
        dying.die();
        await eventually(async () => (await survivor.presence.claim('shop', 's2', 2)).ok, "the dead instance's place", subject.leaseMs * 4);
        expect(await survivor.presence.count('shop')).toBe(2);
      });
    });

    describe('ClusterLock', () => {
      it('is held by one holder at a time; the others are told who holds it; release frees it', async () => {
        const a = (await subject.instance()).lock;
        const b = (await subject.instance()).lock;
        const held = await a.acquire('deploy:shop', 'dep-1');
        expect(held.acquired).toBe(true);
        expect(await b.acquire('deploy:shop', 'dep-2')).toEqual({ acquired: false, holder: 'dep-1' });
        expect(await b.holder('deploy:shop')).toBe('dep-1');
        expect((await b.acquire('deploy:billing', 'dep-3')).acquired).toBe(true); // another name
        await (held as HeldLock).release();
        expect(await b.holder('deploy:shop')).toBeNull();
        expect((await b.acquire('deploy:shop', 'dep-2')).acquired).toBe(true);
      });

      it("a holder's late release does not free the lock someone took since", async () => {
        const a = (await subject.instance()).lock;
        const b = (await subject.instance()).lock;
        const first = (await a.acquire('deploy:shop', 'dep-1')) as HeldLock;
        await first.release();
        expect((await b.acquire('deploy:shop', 'dep-2')).acquired).toBe(true);
        await first.release();
        expect(await a.holder('deploy:shop')).toBe('dep-2');
      });

      it('gives the lock to exactly one of many acquires raced across two instances', async () => {
        const a = (await subject.instance()).lock;
        const b = (await subject.instance()).lock;
        const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire('deploy:shop', `dep-${i}`)));
        const winners = tries.filter((t) => t.acquired);
        expect(winners).toHaveLength(1);
        const holder = await a.holder('deploy:shop');
        for (const t of tries) if (!t.acquired) expect(t.holder).toBe(holder);
      });

      it('stays held past the lease while its holder lives (renewed), and is not lost', async () => {
        const a = (await subject.instance()).lock;
        const held = (await a.acquire('deploy:shop', 'dep-1')) as HeldLock;
        const lost: string[] = [];
        held.onLost((why) => lost.push(why));
        await sleep(subject.leaseMs * 3);
        expect(await (await subject.instance()).lock.acquire('deploy:shop', 'dep-2')).toEqual({ acquired: false, holder: 'dep-1' });
        expect(lost).toEqual([]);
        await held.release();
      });

      acrossProcesses('is freed within the lease when its holder dies', async () => {
        const dying = await subject.instance();
        const other = await subject.instance();
        expect((await dying.lock.acquire('deploy:shop', 'dep-1')).acquired).toBe(true);
        dying.die();
        await eventually(async () => (await other.lock.acquire('deploy:shop', 'dep-2')).acquired, 'the dead holder\'s lock', subject.leaseMs * 4);
        expect(await other.lock.holder('deploy:shop')).toBe('dep-2');
      });
    });
  });
}
