import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Container } from 'inversify';
import { SandboxDokkuHost } from '../../../../src/adapters/outbound/sandbox/sandbox-dokku-host.js';
import { DEFAULT_SANDBOX_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import { SessionAdmission } from '../../../../src/application/access/session-admission.js';
import { buildContainer, connectStateStore, Disposables } from '../../../../src/container.js';
import type { Caller } from '../../../../src/domain/caller.js';
import { startRedis, type RedisFixture } from '../../../support/redis-fixture.js';
import { connectAs, testConfig } from './mcp-harness.js';
import { Writable } from 'node:stream';

/**
 * Two instances of the server — two containers, each with its own Redis connection and adapters, as two processes
 * would have — over one real Redis (store.type: redis). The rate limit of a token and the session cap of a tenant are
 * one budget for both: what A spends, B cannot. Callers carry a token id as an HTTP bearer token gives them (the
 * HTTP token path itself is tested where it lives); MCP calls go through the real SDK client and tool registrar.
 */
let redis: RedisFixture;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.dispose(); });

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const quiet = () => new Writable({ write: (_c, _e, done) => done() });

async function instance(keyPrefix: string): Promise<{ container: Container; close(): Promise<void> }> {
  const base = testConfig({ access: { rateLimit: { perMinute: 1, burst: 5 }, maxSessionsPerTenant: 2 } });
  const config = { ...base, store: { type: 'redis' as const, redisUrl: redis.url, keyPrefix, leaseTtlMs: 500 } };
  const host = new SandboxDokkuHost({ deployStepMs: 5, seed: DEFAULT_SANDBOX_SEED });
  const container = buildContainer(config, '0.0.0-test', { logStream: quiet(), sandboxHost: host });
  await connectStateStore(container);
  return { container, close: () => container.get<Disposables>(Disposables).dispose() };
}

const tokenCaller = (sessionId: string, tenant: string | null = null): Caller =>
  ({ transport: 'http', sessionId, tokenId: 'shop-bot', tenant, scopes: ['read', 'write'] });

describe('limits shared by two instances over one Redis', () => {
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  beforeEach(async () => {
    const prefix = `limits-${randomUUID().slice(0, 8)}:`;
    [a, b] = await Promise.all([instance(prefix), instance(prefix)]);
  });
  afterEach(async () => { await Promise.all([a.close(), b.close()]); });

  it("a token's burst, raced across sessions on A and B, lets exactly auth.rate_limit.burst calls through", async () => {
    const onA = await connectAs(a.container, tokenCaller('session-on-a'));
    const onB = await connectAs(b.container, tokenCaller('session-on-b'));
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? onA : onB).call('list_apps')));
      const refused = results.filter((r) => r.isError);
      expect(results.length - refused.length).toBe(5);
      for (const r of refused) expect(text(r)).toMatch(/^Rate limit reached: this token may make 1 requests a minute, at most 5 at once \(auth\.rate_limit\)/);
    } finally {
      await Promise.all([onA.close(), onB.close()]);
    }
  });

  it("a tenant's session cap counts the sessions of both instances, and a released place is free on the other", async () => {
    const capA = a.container.get(SessionAdmission);
    const capB = b.container.get(SessionAdmission);
    const first = await capA.admit(tokenCaller('s1', 'shop'));
    expect((await capB.admit(tokenCaller('s2', 'shop'))).ok).toBe(true);
    expect(await capB.admit(tokenCaller('s3', 'shop'))).toEqual({ ok: false, message: expect.stringContaining('Tenant "shop" already has 2 open sessions') });
    expect(await capA.openSessions('shop')).toBe(2);
    if (first.ok) first.release();
    await expect(waitFor(async () => (await capB.admit(tokenCaller('s3', 'shop'))).ok)).resolves.toBe(true);
  });

  it("an instance that dies without releasing gives its tenant's places back within the lease", async () => {
    const capA = a.container.get(SessionAdmission);
    const capB = b.container.get(SessionAdmission);
    expect((await capA.admit(tokenCaller('s1', 'shop'))).ok).toBe(true);
    expect((await capA.admit(tokenCaller('s2', 'shop'))).ok).toBe(true);
    expect((await capB.admit(tokenCaller('s3', 'shop'))).ok).toBe(false);
    await a.close(); // stops renewing; its sessions are not released (as after a crash)
    await expect(waitFor(async () => (await capB.admit(tokenCaller('s3', 'shop'))).ok)).resolves.toBe(true);
    a = await instance(`spare-${randomUUID().slice(0, 8)}:`); // for afterEach
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
