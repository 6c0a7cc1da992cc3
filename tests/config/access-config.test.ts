import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from '../../src/config/load-config.js';

/** auth, tenants and audit: file-only, checked entry by entry, each problem naming the entry and the fix. */
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-access-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HASH = 'a'.repeat(64);
const TENANTS = 'tenants:\n  shop:\n    apps: ["shop-*", "billing"]\n';

function load(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml);
  return loadConfig({ argv: ['--sandbox', '--config', path], env });
}
function config(yaml: string, env: NodeJS.ProcessEnv = {}): AppConfig {
  const result = load(yaml, env);
  if (result.kind !== 'run') throw new Error('expected a run result');
  return result.config;
}
function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    load(yaml, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}
const token = (fields: string) => `auth:\n  tokens:\n    - { ${fields} }\n`;

test('defaults: no tokens, no tenants, the rate limit and session cap of the issue, stdio for every app, audit to stderr', () => {
  const c = config('');
  expect(c.access).toEqual({ tokens: [], rateLimit: { perMinute: 120, burst: 30 }, maxSessionsPerTenant: 20, stdioTenant: null, tenants: {} });
  expect(c.audit.file).toBeUndefined();
});

test('the issue\'s example loads: tokens by hash and by environment variable, a tenant, stdio_tenant', () => {
  const c = config(
    `auth:\n  tokens:\n    - { id: shop-bot, sha256: "${HASH.toUpperCase()}", tenant: shop, scopes: [read, write] }\n` +
      '    - { id: ops, env: OPS_TOKEN, scopes: [admin] }\n  rate_limit: { per_minute: 60, burst: 5 }\n  max_sessions_per_tenant: 3\n  stdio_tenant: shop\n' +
      `${TENANTS}audit:\n  file: ${join(dir, 'audit.log')}\n`,
    { OPS_TOKEN: 'an-operator-token-value' },
  );
  expect(c.access.tokens).toEqual([
    { id: 'shop-bot', tenant: 'shop', scopes: ['read', 'write'], secret: { sha256: HASH } },
    { id: 'ops', tenant: null, scopes: ['admin'], secret: { env: 'OPS_TOKEN', value: 'an-operator-token-value' } },
  ]);
  expect(c.access).toMatchObject({ rateLimit: { perMinute: 60, burst: 5 }, maxSessionsPerTenant: 3, stdioTenant: 'shop', tenants: { shop: ['shop-*', 'billing'] } });
  expect(c.audit.file).toBe(join(dir, 'audit.log'));
});

test.each([
  ['a token whose tenant is not configured', `${token(`id: bot, sha256: "${HASH}", tenant: shopp, scopes: [read]`)}${TENANTS}`,
    /^auth\.tokens\[0\] \(id "bot"\): tenant "shopp" is not configured under tenants \(configured: shop\)/],
  ['admin on a tenant token', `${token(`id: bot, sha256: "${HASH}", tenant: shop, scopes: [read, admin]`)}${TENANTS}`,
    /^auth\.tokens\[0\] \(id "bot"\): the admin scope cannot go with a tenant/],
  ['a sha256 that is not 64 hex characters', token('id: bot, sha256: "abc123", scopes: [read]'),
    /^auth\.tokens\[0\] \(id "bot"\): sha256 must be 64 hexadecimal characters.*got 6 characters\.$/],
  ['an env var missing at start-up', token('id: bot, env: BOT_TOKEN, scopes: [read]'),
    /^auth\.tokens\[0\] \(id "bot"\): the environment variable BOT_TOKEN is not set \(or empty\)/],
  ['both sha256 and env', token(`id: bot, sha256: "${HASH}", env: X, scopes: [read]`), /give exactly one of sha256 .* or env/],
  ['no id', token(`sha256: "${HASH}", scopes: [read]`), /^auth\.tokens\[0\]: id is required/],
  ['an unknown scope', token(`id: bot, sha256: "${HASH}", scopes: [deploy]`), /scopes must be a non-empty list of read, write, admin \(write includes read; admin includes both\); got \["deploy"\]\.$/],
  ['a misspelt key', token(`id: bot, sha256: "${HASH}", scope: [read]`), /unknown key 'scope'/],
  ['a token that is not a mapping', 'auth:\n  tokens: [abc]\n', /^auth\.tokens\[0\]: must be a mapping/],
  ['a stdio_tenant that is not configured', 'auth:\n  stdio_tenant: shop\n', /^auth\.stdio_tenant: tenant "shop" is not configured under tenants \(none is configured\)/],
  ['a tenant without apps', 'tenants:\n  shop: {}\n', /^tenants\.shop: must be a mapping with apps/],
  ['a pattern that is no app name', 'tenants:\n  shop:\n    apps: ["Shop_*"]\n', /^Invalid tenants\.shop\.apps\[0\]: an exact app name or a glob/],
])('%s stops start-up naming the entry', (_what, yaml, expected) => {
  const found = problems(yaml);
  expect(found).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
});

test('two tenants whose patterns overlap are refused, with a name both would own; disjoint ones are fine', () => {
  const found = problems('tenants:\n  shop:\n    apps: ["shop-*"]\n  audit-team:\n    apps: ["billing", "shop-a*"]\n');
  expect(found).toEqual(['tenants: "shop" ("shop-*") and "audit-team" ("shop-a*") overlap: both match an app named "shop-a"; an app must belong to one tenant only. Narrow one of the patterns.']);
  expect(config('tenants:\n  shop:\n    apps: ["shop-*", "shop-web"]\n  billing:\n    apps: ["billing"]\n').access.tenants).toEqual({
    shop: ['shop-*', 'shop-web'], // one tenant's own patterns may overlap
    billing: ['billing'],
  });
});

test('duplicate ids and the same token twice are refused, and a token is never repeated in a message', () => {
  const found = problems(
    `auth:\n  tokens:\n    - { id: a, sha256: "${HASH}", scopes: [read] }\n    - { id: a, env: T, scopes: [read] }\n    - { id: c, sha256: "${'b'.repeat(64)}", scopes: [read] }\n    - { id: d, env: U, scopes: [read] }\n`,
    { T: 'token-value-t', U: 'token-value-t' },
  );
  expect(found).toEqual([
    'auth.tokens[1]: id "a" is used by auth.tokens[0] too; each token needs an id of its own.',
    'auth.tokens[3] (id "d"): the same token as auth.tokens[1] (id "a"); give each entry its own token.',
  ]);
  const pasted = problems(token('id: bot, sha256: "my-secret-token-pasted-here", scopes: [read]')).join('\n');
  expect(pasted).not.toContain('my-secret-token');
});

test('auth and tenants are file-only: their environment variables are ignored, with a warning saying so', () => {
  const result = loadConfig({ argv: ['--sandbox'], env: { DOKKU_MCP_AUTH_STDIO_TENANT: 'shop', DOKKU_MCP_TENANTS: '{}' } });
  if (result.kind !== 'run') throw new Error('expected a run result');
  expect(result.config.access.stdioTenant).toBeNull();
  expect(result.warnings).toEqual([
    expect.stringMatching(/^the environment variable DOKKU_MCP_AUTH_STDIO_TENANT is ignored: auth and tenants are set in the config file only/),
    expect.stringMatching(/^the environment variable DOKKU_MCP_TENANTS is ignored/),
  ]);
  // audit.file is an ordinary key: its variable works; a token's own variable is no typo.
  const withAudit = loadConfig({ argv: ['--sandbox'], env: { DOKKU_MCP_AUDIT_FILE: '/tmp/a.log' } });
  expect(withAudit.kind === 'run' && withAudit.config.audit.file).toBe('/tmp/a.log');
  const named = load(token('id: bot, env: DOKKU_MCP_BOT_TOKEN, scopes: [read]'), { DOKKU_MCP_BOT_TOKEN: 'x'.repeat(20) });
  expect(named.kind === 'run' && named.warnings).toEqual([]);
});
