import { McpServerFactory } from '../../../../src/adapters/inbound/mcp/server-factory.js';
import { InMemoryRateLimiter } from '../../../../src/adapters/outbound/memory/in-memory-rate-limiter.adapter.js';
import type { Caller } from '../../../../src/domain/caller.js';
import { StateStoreUnavailable } from '../../../../src/domain/domain-errors.js';
import { Metrics } from '../../../../src/ports/metrics.port.js';
import { RateLimiter } from '../../../../src/ports/rate-limiter.port.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { connectAs, ok, startHarness, textOf, type Harness } from './mcp-harness.js';

/** auth.rate_limit over a real session: tools/call and resources/read count; pings and elicitation answers do not. */
const LIMIT = { perMinute: 60, burst: 3 };
const REFUSAL = /Rate limit reached: this (session|token) may make 60 requests a minute, at most 3 at once \(auth\.rate_limit\); this request was not run\. Retry in 1 s;/;
const tokenCaller = (sessionId: string): Caller => ({ transport: 'http', sessionId, tokenId: 'shared-bot', tenant: null, scopes: ['read', 'write'] });

describe('rate limit', () => {
  let h: Harness;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    h = await startHarness({
      access: { rateLimit: LIMIT },
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
      // The configured limiter, on a clock the test moves.
      configure: (c) => void c.rebind(RateLimiter).toConstantValue(new InMemoryRateLimiter(LIMIT, clock)),
    });
  });
  afterEach(() => h.close());

  test('a burst over the bucket is refused as a tool error naming the limit and when to retry; after the wait calls run', async () => {
    for (let i = 0; i < 5; i++) await h.client.ping(); // not counted
    // One call whose confirmation is an elicitation round trip: the answer is not a request of its own.
    expect(ok(await h.call('destroy_app', { app_name: 'python-app' })).destroyed).toBe(true);
    expect(h.elicitations).toHaveLength(1);
    ok(await h.call('list_apps'));
    await h.client.readResource({ uri: 'dokku://apps' });
    const refused = await h.call('list_apps');
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(new RegExp(`^${REFUSAL.source}`));
    await expect(h.client.readResource({ uri: 'dokku://apps' })).rejects.toThrow(REFUSAL);
    clock.advance(1_000);
    expect(ok(await h.call('list_apps')).count).toBe(1);
    const { text } = await h.container.get<Metrics>(Metrics).exposition();
    expect(text).toContain('dokku_mcp_rate_limited_total 2\n');
  });

  test("a token's sessions share its bucket; a session without a token has its own", async () => {
    const [a, b] = await Promise.all([connectAs(h.container, tokenCaller('a')), connectAs(h.container, tokenCaller('b'))]);
    const results = await Promise.all([a.call('list_apps'), b.call('list_apps'), a.call('list_apps'), b.call('list_apps')]);
    expect(results.filter((r) => r.isError).map(textOf)).toEqual([expect.stringMatching(/^Rate limit reached: this token may make/)]);
    expect(ok(await h.call('list_apps')).count).toBe(2); // the harness's own session is untouched
    await Promise.all([a.close(), b.close()]);
  });

  test('a session whose transport applies the limit itself (HTTP) does not count again', async () => {
    const session = h.container.get(McpServerFactory).create(tokenCaller('http-1'), { countRequests: false });
    expect(session.caller.tokenId).toBe('shared-bot');
    const limiter = h.container.get<RateLimiter>(RateLimiter);
    for (let i = 0; i < 3; i++) expect((await limiter.take('token:shared-bot')).allowed).toBe(true);
    await session.close();
  });
});

describe('rate limit with the shared store down (fail closed)', () => {
  const UNREACHABLE = 'Redis at redis://127.0.0.1:6390 (store.redis_url): connect ECONNREFUSED 127.0.0.1:6390';
  let h: Harness;
  let calls = 0;
  beforeEach(async () => {
    calls = 0;
    h = await startHarness({
      configure: (c) => void c.rebind(RateLimiter).toConstantValue({
        take: async () => { calls++; throw new StateStoreUnavailable(UNREACHABLE); },
      } satisfies RateLimiter),
    });
  });
  afterEach(() => h.close());

  test('a tool call and a resource read are refused with what failed and what to do; nothing runs', async () => {
    const refused = await h.call('destroy_app', { app_name: 'python-app', confirm_name: 'python-app' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(`state store unreachable: ${UNREACHABLE}. ${new StateStoreUnavailable('').hint}`);
    expect(h.host.appNames()).toContain('python-app'); // the call never ran
    await expect(h.client.readResource({ uri: 'dokku://apps' })).rejects.toThrow(/state store unreachable: Redis at/);
    expect(calls).toBe(2);
    // The audit line names the code for the operator.
    expect(h.logLines.join('')).toMatch(/"tool":"destroy_app".*"outcome":"error".*"error_code":"STATE_STORE_UNAVAILABLE"|"error_code":"STATE_STORE_UNAVAILABLE".*"tool":"destroy_app"/s);
  });
});
