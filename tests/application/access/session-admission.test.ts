import { InMemorySessionPresence } from '../../../src/adapters/outbound/memory/in-memory-session-presence.adapter.js';
import { SessionAdmission } from '../../../src/application/access/session-admission.js';
import type { Caller } from '../../../src/domain/caller.js';
import { StateStoreUnavailable } from '../../../src/domain/domain-errors.js';
import type { SessionPresence } from '../../../src/ports/session-presence.port.js';

const caller = (tenant: string | null, sessionId: string): Caller => ({ transport: 'http', sessionId, tokenId: 'bot', tenant, scopes: ['read'] });
const admission = (max: number, presence: SessionPresence = new InMemorySessionPresence()) => new SessionAdmission({ maxSessionsPerTenant: max }, presence);

test('a tenant holds at most max_sessions_per_tenant sessions at once; a released one frees its place, once', async () => {
  const cap = admission(2);
  const first = await cap.admit(caller('shop', 'a'));
  const second = await cap.admit(caller('shop', 'b'));
  expect([first.ok, second.ok]).toEqual([true, true]);
  expect(await cap.admit(caller('shop', 'c'))).toEqual({
    ok: false,
    message: 'Tenant "shop" already has 2 open sessions, the most this server allows (auth.max_sessions_per_tenant is 2). Close one (DELETE it, or end its client) and try again.',
  });
  expect((await cap.admit(caller('billing', 'd'))).ok).toBe(true); // another tenant has its own places
  if (first.ok) {
    first.release();
    first.release(); // idempotent: the second release gives back nothing
  }
  await Promise.resolve();
  expect(await cap.openSessions('shop')).toBe(1);
  expect((await cap.admit(caller('shop', 'e'))).ok).toBe(true);
  expect((await cap.admit(caller('shop', 'f'))).ok).toBe(false);
});

test('a caller without a tenant is not capped (and does not reach the store)', async () => {
  const unreachable: SessionPresence = {
    claim: async () => { throw new StateStoreUnavailable('down'); },
    release: async () => undefined,
    count: async () => { throw new StateStoreUnavailable('down'); },
  };
  const cap = admission(1, unreachable);
  for (let i = 0; i < 5; i++) expect((await cap.admit(caller(null, `s${i}`))).ok).toBe(true);
});

test('a store that does not answer refuses the session with STATE_STORE_UNAVAILABLE (not a guess either way)', async () => {
  const unreachable: SessionPresence = {
    claim: async () => { throw new StateStoreUnavailable('Redis at redis://127.0.0.1:1 (store.redis_url): connect ECONNREFUSED'); },
    release: async () => undefined,
    count: async () => 0,
  };
  await expect(admission(5, unreachable).admit(caller('shop', 'a'))).rejects.toMatchObject({ code: 'STATE_STORE_UNAVAILABLE' });
});
