import { CachedReadiness, type Readiness } from '../../../../src/adapters/inbound/http/health.js';

describe('CachedReadiness', () => {
  it('asks the host once per ttl: probes meanwhile share the answer in flight, then the cached one', async () => {
    let now = 0;
    let checks = 0;
    let answer: Readiness = { ready: true };
    const readiness = new CachedReadiness(async () => {
      checks++;
      return answer;
    }, 5_000, () => now);

    const first = await Promise.all([readiness.current(), readiness.current(), readiness.current()]);
    expect(first).toEqual([{ ready: true }, { ready: true }, { ready: true }]);
    expect(checks).toBe(1);
    answer = { ready: false, reason: 'host down' };
    now = 4_999;
    expect(await readiness.current()).toEqual({ ready: true });
    expect(checks).toBe(1);
    now = 5_000;
    expect(await readiness.current()).toEqual({ ready: false, reason: 'host down' });
    expect(checks).toBe(2);
  });

  it('turns a failing check into "not ready" without its details', async () => {
    const readiness = new CachedReadiness(async () => {
      throw new Error('secret detail');
    });
    const result = await readiness.current();
    expect(result).toEqual({ ready: false, reason: expect.stringContaining('see the server log') });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
