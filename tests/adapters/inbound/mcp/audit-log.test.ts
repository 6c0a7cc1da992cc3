import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_JS_APP_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import { buildContainer, Disposables } from '../../../../src/container.js';
import type { Caller } from '../../../../src/domain/caller.js';
import { connectAs, ok, startHarness, testConfig } from './mcp-harness.js';

/** The audit log of a full run, read back from the real file. */
const TOKEN = 'shop-token-9f8e7d6c5b4a3210'; // a configured token's value (from its env var)
const SECRET = 'sup3r-s3cret-config-value';
const SHOP: Caller = { transport: 'stdio', sessionId: 'shop-session', tokenId: 'shop-bot', tenant: 'shop', scopes: ['read', 'write'] };
const READER: Caller = { ...SHOP, sessionId: 'reader-session', tokenId: 'shop-reader', scopes: ['read'] };

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-audit-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('one line per call of a tool with side effects — ok, failed and denied — and no secret or token in any', async () => {
  const file = join(dir, 'audit.log');
  const h = await startHarness({
    seed: [NODE_JS_APP_SEED, { ...NODE_JS_APP_SEED, name: 'shop-web', domains: ['shop.example.com'] }],
    caller: SHOP,
    access: {
      tenants: { shop: ['shop-*'] },
      tokens: [{ id: 'shop-bot', tenant: 'shop', scopes: ['read', 'write'], secret: { env: 'SHOP_TOKEN', value: TOKEN } }],
    },
    audit: file,
  });
  const reader = await connectAs(h.container, READER);
  try {
    ok(await h.call('create_app', { app_name: 'shop-new' }));
    ok(await h.call('configure_app', { app_name: 'shop-new', vars: { API_SECRET: SECRET }, restart: false }));
    const { deployment_id } = ok(await h.call('deploy_image', { app_name: 'shop-new', image: 'nginx:1.27' }));
    ok(await h.call('get_app_status', { app_name: 'shop-new' })); // reads are not audited
    ok(await h.call('list_apps'));
    await h.call('deploy_app', { app_name: 'node-js-app', repo_url: 'https://github.com/acme/x.git' }); // another's app
    await h.call('add_global_domain', { domain: 'evil.example.com' }); // needs admin
    await h.call('destroy_app', { app_name: 'shop-web' }); // no confirmation given
    await h.call('scale_app', { app_name: 'shop-web', processes: 'two' }); // bad arguments
    await h.call('create_app', { app_name: TOKEN }); // a token sent as an argument
    await reader.call('restart_app', { app_name: 'shop-web' }); // read scope

    const text = readFileSync(file, 'utf8');
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    expect(lines.map((l) => [l.tool, l.outcome, l.error_code])).toEqual([
      ['create_app', 'ok', null],
      ['configure_app', 'ok', null],
      ['deploy_image', 'ok', null],
      ['deploy_app', 'denied', 'APP_NOT_FOUND'],
      ['add_global_domain', 'denied', 'ACCESS_DENIED'],
      ['destroy_app', 'error', 'CONFIRMATION_REQUIRED'],
      ['scale_app', 'error', 'INVALID_ARGUMENT'],
      ['create_app', 'ok', null],
      ['restart_app', 'denied', 'ACCESS_DENIED'],
    ]);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['time', 'transport', 'session_id', 'token_id', 'tenant', 'tool', 'arguments', 'outcome', 'error_code', 'deployment_id', 'duration_ms']);
      expect(new Date(line.time).toISOString()).toBe(line.time);
      expect(line).toMatchObject({ transport: 'stdio', tenant: 'shop' });
      expect(line.duration_ms).toEqual(expect.any(Number));
    }
    expect(lines[0]).toMatchObject({ session_id: 'shop-session', token_id: 'shop-bot', arguments: { app_name: 'shop-new' }, deployment_id: null });
    expect(lines[1]!.arguments).toEqual({ app_name: 'shop-new', vars: { API_SECRET: '********' }, restart: false });
    expect(lines[2]!.deployment_id).toBe(deployment_id);
    expect(lines[8]).toMatchObject({ session_id: 'reader-session', token_id: 'shop-reader' });
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(lines[7]!.arguments.app_name).toBe('[REDACTED]');
  } finally {
    await reader.close();
    await h.close();
  }
});

test('without audit.file the lines go to stderr, one bare JSON object each; an unusable audit.file stops start-up', async () => {
  const h = await startHarness();
  try {
    ok(await h.call('create_app', { app_name: 'audited-app' }));
    const line = h.logLines.find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? 'null')).toMatchObject({ tool: 'create_app', outcome: 'ok', arguments: { app_name: 'audited-app' } });
  } finally {
    await h.close();
  }
  const config = { ...testConfig(), audit: { file: join(dir, 'missing-dir', 'audit.log') } };
  expect(() => buildContainer(config, '0.0.0-test')).toThrow(
    `audit.file ${join(dir, 'missing-dir', 'audit.log')} cannot be opened for appending (ENOENT); fix the path or its permissions, or unset audit.file to audit to stderr.`,
  );
});

test('shutdown closes the audit file (its descriptor), after which nothing more is written', async () => {
  const file = join(dir, 'audit.log');
  /** This process's descriptors open on the audit file (Linux: /proc/self/fd). */
  const openOnFile = () => readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // closed meanwhile (the directory's own descriptor)
    }
  }).length;
  const h = await startHarness({ audit: file });
  ok(await h.call('create_app', { app_name: 'audited-app' }));
  expect(openOnFile()).toBe(1);
  await h.container.get<Disposables>(Disposables).dispose(); // what main does on SIGTERM, after the sessions
  expect(openOnFile()).toBe(0);
  await h.call('create_app', { app_name: 'after-shutdown' });
  expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(1);
  await h.close();
});
