import { SessionAdmission } from '../../../src/application/access/session-admission.js';
import type { Caller } from '../../../src/domain/caller.js';

const caller = (tenant: string | null, sessionId: string): Caller => ({ transport: 'http', sessionId, tokenId: 'bot', tenant, scopes: ['read'] });

test('a tenant holds at most max_sessions_per_tenant sessions at once; a released one frees its place, once', () => {
  const admission = new SessionAdmission({ maxSessionsPerTenant: 2 });
  const first = admission.admit(caller('shop', 'a'));
  const second = admission.admit(caller('shop', 'b'));
  expect([first.ok, second.ok]).toEqual([true, true]);
  expect(admission.admit(caller('shop', 'c'))).toEqual({
    ok: false,
    message: 'Tenant "shop" already has 2 open sessions, the most this server allows (auth.max_sessions_per_tenant is 2). Close one (DELETE it, or end its client) and try again.',
  });
  expect(admission.admit(caller('billing', 'd')).ok).toBe(true); // another tenant has its own places
  if (first.ok) {
    first.release();
    first.release(); // idempotent: the second release gives back nothing
  }
  expect(admission.openSessions('shop')).toBe(1);
  expect(admission.admit(caller('shop', 'e')).ok).toBe(true);
  expect(admission.admit(caller('shop', 'f')).ok).toBe(false);
});

test('a caller without a tenant is not capped', () => {
  const admission = new SessionAdmission({ maxSessionsPerTenant: 1 });
  for (let i = 0; i < 5; i++) expect(admission.admit(caller(null, `s${i}`)).ok).toBe(true);
});
