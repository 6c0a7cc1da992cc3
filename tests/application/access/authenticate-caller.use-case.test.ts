import { createHash } from 'node:crypto';
import { Sha256TokenMatcher, sha256 } from '../../../src/adapters/outbound/system/sha256-token-matcher.adapter.js';
import { AuthenticateCaller } from '../../../src/application/access/authenticate-caller.use-case.js';

/** The one function every HTTP route calls (through the bearer middleware): an Authorization header to an identity or a refusal. */
const SHOP_TOKEN = 'shop-bot-token-0123456789abcdef';
const OPS_TOKEN = 'ops-token-from-the-environment-42';
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

const authenticate = new AuthenticateCaller(
  new Sha256TokenMatcher([
    // As the container builds them: a configured hex hash, and the hash of an environment variable's value.
    { digest: Buffer.from(hex(SHOP_TOKEN), 'hex'), grant: { id: 'shop-bot', tenant: 'shop', scopes: ['write'] } },
    { digest: sha256(OPS_TOKEN), grant: { id: 'ops', tenant: null, scopes: ['admin'] } },
  ]),
);
const run = (authorization: string | undefined) => authenticate.execute({ authorization });

test('a configured token becomes its caller: the configured id, tenant, and scopes with the implied ones added', () => {
  expect(run(`Bearer ${SHOP_TOKEN}`)).toEqual({
    ok: true,
    identity: { tokenId: 'shop-bot', tenant: 'shop', scopes: ['read', 'write'] },
  });
  expect(run(`bearer  ${OPS_TOKEN} `)).toEqual({
    ok: true,
    identity: { tokenId: 'ops', tenant: null, scopes: ['read', 'write', 'admin'] },
  });
});

test.each([
  ['no header', undefined, 'missing'],
  ['an empty header', '', 'missing'],
  ['another scheme', `Basic ${Buffer.from(`u:${SHOP_TOKEN}`).toString('base64')}`, 'missing'],
  ['a bare token', SHOP_TOKEN, 'missing'],
  ['a wrong token', 'Bearer not-the-token', 'invalid'],
  ['a token one character short', `Bearer ${SHOP_TOKEN.slice(0, -1)}`, 'invalid'],
  ['the hash instead of the token', `Bearer ${hex(SHOP_TOKEN)}`, 'invalid'],
])('%s is refused (%s), and the refusal never repeats what was sent', (_what, header, reason) => {
  const result = run(header);
  expect(result).toMatchObject({ ok: false, reason });
  if (result.ok) return;
  expect(result.message).toMatch(reason === 'missing' ? /send the header Authorization with the value "Bearer <token>"/ : /not valid for this server/);
  expect(result.message).not.toContain(SHOP_TOKEN.slice(0, 10));
});

test('with no token configured, every request is an unrestricted caller', () => {
  const open = new AuthenticateCaller(new Sha256TokenMatcher([]));
  expect(open.required).toBe(false);
  expect(open.execute({ authorization: undefined })).toEqual({ ok: true, identity: { tokenId: null, tenant: null, scopes: ['read', 'write', 'admin'] } });
  expect(authenticate.required).toBe(true);
});
