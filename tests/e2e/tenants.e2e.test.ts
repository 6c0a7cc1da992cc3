import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { APP_SIDE_EFFECTS, appTools, withoutName as same, missingAppFor } from '../support/access-tables.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';

/**
 * Tenants over the real path: the BUILT server over stdio with a config file (tenants, auth.stdio_tenant, a token, an
 * audit file), the real SSH adapter, sshd and the Dokku stand-in. The stdio session acts for tenant "shop": every tool
 * and resource on billing's app answers exactly as on a missing app, and the stand-in's call log shows that nothing
 * about it reached the host. Then the audit file of the whole run is read back.
 */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const TOKEN = 'ops-token-value-5c1e0b7a9d'; // configured through its environment variable; must never be written out
const SECRET = 'b1ll1ng-api-key-do-not-leak';
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

const APP_TOOLS = appTools({ configValue: SECRET, removedDomain: 'pay.example.com', reveal: true });
const SIDE_EFFECTS = APP_SIDE_EFFECTS;

describe('tenants over stdio, against a Dokku host over real SSH', () => {
  let fixture: SshdFixture;
  let client: Client;
  let stderr = '';
  let dir: string;
  let auditFile: string;
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  /**
   * The stand-in commands run while `act` ran that name `word` (a command of an earlier call may still be finishing,
   * so only commands about what `act` is about count).
   */
  async function hostCommands<T>(word: RegExp, act: () => Promise<T>): Promise<{ answer: T; argv: string[][] }> {
    const before = fixture.argvLog().length;
    const answer = await act();
    return { answer, argv: fixture.argvLog().slice(before).filter((command) => command.some((w) => word.test(w))) };
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
    fixture = await startSshd({ deployStepMs: 20 });
    fixture.seed({
      apps: {
        'shop-web': { deployed: true, domains: ['shop.example.com'], scale: { web: 1 } },
        'billing-api': { deployed: true, domains: ['pay.example.com'], config: { API_KEY: SECRET }, scale: { web: 1 } },
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-tenants-e2e-'));
    auditFile = join(dir, 'audit.log');
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'auth:',
        '  tokens:',
        '    - { id: ops, env: OPS_TOKEN, scopes: [admin] }',
        '  rate_limit: { per_minute: 100000, burst: 100000 }', // this suite calls back to back
        '  stdio_tenant: shop',
        'tenants:',
        '  shop: { apps: ["shop-*"] }',
        '  billing: { apps: ["billing-*"] }',
        'audit:',
        `  file: ${auditFile}`,
        '',
      ].join('\n'),
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MAIN, '--config', config, '--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint, OPS_TOKEN: TOKEN },
      stderr: 'pipe',
      cwd: ROOT,
    });
    transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    client = new Client({ name: 'e2e-tenants', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the session sees only its tenant\'s apps, and no host-wide tool', async () => {
    expect((await call('list_apps')).structuredContent).toEqual({ apps: ['shop-web'], count: 1 });
    const apps = await client.readResource({ uri: 'dokku://apps' });
    expect(JSON.parse((apps.contents[0] as { text: string }).text)).toEqual({ apps: ['shop-web'] });
    const listed = (await client.listResources()).resources.map((r) => r.uri).join(' ');
    expect(listed).not.toContain('billing');
    const completion = await client.complete({ ref: { type: 'ref/resource', uri: 'dokku://app/{name}' }, argument: { name: 'name', value: '' } });
    expect(completion.completion.values).toEqual(['shop-web']);
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(Object.keys(APP_TOOLS)));
    expect(tools).not.toContain('list_global_domains');
    const { answer, argv } = await hostCommands(/global|evil|^version$|^plugin/, async () => [
      await call('add_global_domain', { domain: 'evil.example.com' }),
      await client.readResource({ uri: 'dokku://server/info' }).catch((e: Error) => e.message),
    ]);
    expect(argv).toEqual([]);
    expect(textOf(answer[0] as CallToolResult)).toMatch(/^add_global_domain is not available: it concerns the whole Dokku host, which needs the admin scope/);
    expect(answer[1]).toMatch(/dokku:\/\/server\/info needs the admin scope/);
  });

  test.each(Object.keys(APP_TOOLS))("%s on another tenant's app answers byte for byte as on a missing one, and the host hears nothing of it", async (tool) => {
    const { answer, argv } = await hostCommands(/billing|pay\.example/, () => call(tool, APP_TOOLS[tool]!('billing-api')));
    expect(argv).toEqual([]);
    const missing = await call(tool, APP_TOOLS[tool]!(missingAppFor(tool)));
    expect(same(textOf(answer), 'billing-api')).toBe(same(textOf(missing), missingAppFor(tool)));
    expect(textOf(answer)).not.toContain(SECRET);
  });

  test.each(['dokku://app/{name}', 'dokku://app/{name}/logs'])('%s of another tenant\'s app reads as a missing one', async (template) => {
    const read = (name: string) => client.readResource({ uri: template.replace('{name}', name) }).catch((e: Error) => e.message);
    const { answer, argv } = await hostCommands(/billing/, () => read('billing-api'));
    expect(argv).toEqual([]);
    expect(same(answer as string, 'billing-api')).toBe(same((await read('shop-missing')) as string, 'shop-missing'));
  });

  test('create_app stays inside the tenant\'s patterns; its own apps work as usual', async () => {
    expect(textOf(await call('create_app', { app_name: 'billing-2' }))).toMatch(/^"billing-2" is outside the app names this session may create \(tenant "shop": shop-\*\)/);
    expect((await call('create_app', { app_name: 'shop-api' })).structuredContent).toMatchObject({ created: true });
    expect(fixture.argvLog()).toContainEqual(['apps:create', 'shop-api']);
    expect((await call('get_app_status', { app_name: 'shop-web' })).structuredContent).toMatchObject({ app_name: 'shop-web', deployed: true });
  });

  test('the audit file has one line per call with side effects, denied ones included, and no secret or token', async () => {
    const lines = readFileSync(auditFile, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    const denied = lines.filter((l) => l.outcome === 'denied');
    // add_global_domain; each side-effect tool on billing-api; create_app billing-2; rollback_app on its missing app,
    // which is outside shop's patterns too (missingAppFor).
    expect(denied.map((l) => l.tool).sort()).toEqual(['add_global_domain', 'create_app', 'rollback_app', ...SIDE_EFFECTS].sort());
    expect(lines).toHaveLength(1 + 2 * SIDE_EFFECTS.length + 2); // + the same tools on shop-missing + both create_app
    for (const line of lines) expect(line).toMatchObject({ transport: 'stdio', tenant: 'shop', token_id: null });
    expect(lines.find((l) => l.tool === 'configure_app')!.arguments.vars).toEqual({ API_KEY: '********' });
    const text = readFileSync(auditFile, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(SECRET);
  });
});
