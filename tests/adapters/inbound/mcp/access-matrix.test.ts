import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ToolRegistrar } from '../../../../src/adapters/inbound/mcp/tool-registrar.js';
import { NODE_JS_APP_SEED } from '../../../../src/adapters/outbound/sandbox/sandbox-seed.js';
import type { Caller } from '../../../../src/domain/caller.js';
import { recordHostCalls, type HostCall } from '../../../support/recording-dokku-ports.js';
import { connectAs, ok, startHarness, textOf, type Connection, type Harness } from './mcp-harness.js';

/**
 * The scope and tenant matrix over every tool and resource, through a real SDK Client on a server built by the real
 * container: each refusal answers as specified and nothing reaches the host (every Dokku port call is recorded).
 * Tenant "shop" owns shop-*, "billing" owns billing-*; node-js-app belongs to nobody.
 */
const SHOP: Caller = { transport: 'stdio', sessionId: 'shop-1', tokenId: 'shop-bot', tenant: 'shop', scopes: ['read', 'write'] };
const SHOP_READER: Caller = { ...SHOP, sessionId: 'shop-2', tokenId: 'shop-reader', scopes: ['read'] };
const BILLING: Caller = { transport: 'stdio', sessionId: 'billing-1', tokenId: 'billing-bot', tenant: 'billing', scopes: ['read', 'write'] };
const deployed = (name: string, domains: string[]) => ({ ...NODE_JS_APP_SEED, name, domains, config: { API_KEY: `${name}-key-0123456789` } });

/** Arguments for each tool that names an app (confirm_name given, so destructive tools get as far as the use case). */
const APP_TOOLS: Record<string, (app: string) => Record<string, unknown>> = {
  get_app_status: (app) => ({ app_name: app }),
  destroy_app: (app) => ({ app_name: app, confirm_name: app }),
  stop_app: (app) => ({ app_name: app, confirm_name: app }),
  deploy_app: (app) => ({ app_name: app, repo_url: 'https://github.com/acme/shop.git' }),
  deploy_image: (app) => ({ app_name: app, image: 'nginx:1.27' }),
  restart_app: (app) => ({ app_name: app }),
  start_app: (app) => ({ app_name: app }),
  rebuild_app: (app) => ({ app_name: app }),
  scale_app: (app) => ({ app_name: app, processes: { web: 2 } }),
  get_runtime_logs: (app) => ({ app_name: app }),
  follow_runtime_logs: (app) => ({ app_name: app, seconds: 0.1 }),
  get_failed_deploy_logs: (app) => ({ app_name: app }),
  get_app_config: (app) => ({ app_name: app }),
  configure_app: (app) => ({ app_name: app, vars: { FLAG: 'on' } }),
  unset_app_config: (app) => ({ app_name: app, keys: ['API_KEY'], confirm_name: app }),
  get_app_domains: (app) => ({ app_name: app }),
  add_app_domain: (app) => ({ app_name: app, domain: 'new.example.com' }),
  remove_app_domain: (app) => ({ app_name: app, domain: 'new.example.com', confirm_name: app }),
};
const DEPLOYMENT_TOOLS: Record<string, (id: string) => Record<string, unknown>> = {
  get_deployment_status: (id) => ({ deployment_id: id }),
  get_build_logs: (id) => ({ deployment_id: id }),
  cancel_deployment: (id) => ({ deployment_id: id }),
};
const OTHER_TOOLS = ['list_apps', 'list_deployments', 'create_app', 'list_global_domains', 'add_global_domain'];
const UNKNOWN_ID = 'deploy_0000000000unknown';

describe('scopes and tenants, over every tool and resource', () => {
  let h: Harness;
  let calls: HostCall[];
  let shop: Connection;
  let reader: Connection;
  let billing: Connection;
  let billingDeployment: string;

  beforeAll(async () => {
    h = await startHarness({
      deployStepMs: 200, // B's deployment stays active while A pokes at it
      seed: [NODE_JS_APP_SEED, deployed('shop-web', ['shop.example.com']), deployed('billing-api', ['pay.example.com'])],
      access: { tenants: { shop: ['shop-*'], billing: ['billing-*'] } },
      configure: (container) => void (calls = recordHostCalls(container)),
    });
    [shop, reader, billing] = await Promise.all([connectAs(h.container, SHOP), connectAs(h.container, SHOP_READER), connectAs(h.container, BILLING)]);
    billingDeployment = ok(await billing.call('restart_app', { app_name: 'billing-api' })).deployment_id;
  });
  afterAll(async () => {
    await Promise.all([shop, reader, billing].map((c) => c?.close()));
    await h?.close();
  });

  /** Runs `act`, returning what it answered and the host calls it caused. */
  async function observed<T>(act: () => Promise<T>): Promise<{ answer: T; hostCalls: HostCall[] }> {
    const before = calls.length;
    const answer = await act();
    return { answer, hostCalls: calls.slice(before) };
  }
  const same = (text: string, name: string) => text.split(name).join('<name>');

  test('the tables cover every tool the server has', () => {
    const all = h.container.get(ToolRegistrar).offeredTo({ ...SHOP, tenant: null, scopes: ['read', 'write', 'admin'] }).map((t) => t.name);
    expect([...Object.keys(APP_TOOLS), ...Object.keys(DEPLOYMENT_TOOLS), ...OTHER_TOOLS].sort()).toEqual([...all].sort());
  });

  describe.each(Object.keys(APP_TOOLS))('%s', (tool) => {
    test.each(['billing-api', 'node-js-app'])("on %s (another tenant's, or nobody's) answers exactly as a missing app, and never reaches the host", async (foreign) => {
      const { answer, hostCalls } = await observed(() => shop.call(tool, APP_TOOLS[tool]!(foreign)));
      expect(hostCalls).toEqual([]);
      const missing = await shop.call(tool, APP_TOOLS[tool]!('shop-missing')); // inside shop's patterns: the host says so
      expect(answer.isError).toBe(true);
      expect(same(textOf(answer), foreign)).toBe(same(textOf(missing), 'shop-missing'));
      expect(textOf(answer)).toMatch(/^App "[^"]+" does not exist\. Call list_apps/);
    });
  });

  test.each(Object.keys(DEPLOYMENT_TOOLS))("%s on another tenant's deployment answers as an unknown one, with no host call", async (tool) => {
    const { answer, hostCalls } = await observed(() => shop.call(tool, DEPLOYMENT_TOOLS[tool]!(billingDeployment)));
    expect(hostCalls).toEqual([]);
    const unknown = await shop.call(tool, DEPLOYMENT_TOOLS[tool]!(UNKNOWN_ID));
    expect(same(textOf(answer), billingDeployment)).toBe(same(textOf(unknown), UNKNOWN_ID));
    expect(textOf(answer)).not.toContain('billing');
    // …while its owner sees it
    expect((await billing.call('get_deployment_status', { deployment_id: billingDeployment })).isError).toBeFalsy();
  });

  test("another tenant's deployments are not listed, nor readable or subscribable as resources", async () => {
    expect(ok(await shop.call('list_deployments')).deployments).toEqual([]);
    expect(ok(await shop.call('list_deployments', { app_name: 'billing-api' }))).toEqual(ok(await shop.call('list_deployments', { app_name: 'shop-missing' })));
    expect(ok(await billing.call('list_deployments')).count).toBe(1);
    const listed = (await shop.client.listResources()).resources.map((r) => r.uri);
    expect(listed.join(' ')).not.toMatch(/billing|node-js-app|deploy_/);
    for (const suffix of ['', '/logs']) {
      const theirs = await shop.client.readResource({ uri: `dokku://deployment/${billingDeployment}${suffix}` }).catch((e: Error) => e.message);
      const unknown = await shop.client.readResource({ uri: `dokku://deployment/${UNKNOWN_ID}${suffix}` }).catch((e: Error) => e.message);
      expect(typeof theirs === 'string' && same(theirs, billingDeployment)).toBe(same(unknown as string, UNKNOWN_ID));
      const subscribed = await shop.client.subscribeResource({ uri: `dokku://deployment/${billingDeployment}${suffix}` }).catch((e: Error) => e.message);
      const unknownSub = await shop.client.subscribeResource({ uri: `dokku://deployment/${UNKNOWN_ID}${suffix}` }).catch((e: Error) => e.message);
      expect(typeof subscribed === 'string' && same(subscribed, billingDeployment)).toBe(same(unknownSub as string, UNKNOWN_ID));
    }
  });

  test.each(['dokku://app/{name}', 'dokku://app/{name}/logs'])("%s: another tenant's apps are neither read, listed nor completed", async (template) => {
    const uri = (name: string) => template.replace('{name}', name);
    const { answer, hostCalls } = await observed(() => shop.client.readResource({ uri: uri('billing-api') }).catch((e: Error) => e.message));
    expect(hostCalls).toEqual([]);
    const missing = await shop.client.readResource({ uri: uri('shop-missing') }).catch((e: Error) => e.message);
    expect(same(answer as string, 'billing-api')).toBe(same(missing as string, 'shop-missing'));
    const completion = await shop.client.complete({ ref: { type: 'ref/resource', uri: template }, argument: { name: 'name', value: '' } });
    expect(completion.completion.values).toEqual(['shop-web']);
    expect((await billing.client.complete({ ref: { type: 'ref/resource', uri: template }, argument: { name: 'name', value: '' } })).completion.values).toEqual(['billing-api']);
  });

  test('list_apps and dokku://apps show the tenant\'s apps only', async () => {
    expect(ok(await shop.call('list_apps'))).toEqual({ apps: ['shop-web'], count: 1 });
    const read = await shop.client.readResource({ uri: 'dokku://apps' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual({ apps: ['shop-web'] });
  });

  test('create_app only inside the tenant\'s patterns, naming them', async () => {
    const { answer, hostCalls } = await observed(() => shop.call('create_app', { app_name: 'billing-new' }));
    expect(hostCalls).toEqual([]);
    expect(textOf(answer)).toBe(
      '"billing-new" is outside the app names this session may create (tenant "shop": shop-*); nothing was created. Choose a name matching "shop-*".',
    );
    expect(ok(await shop.call('create_app', { app_name: 'shop-new' })).created).toBe(true);
    expect(ok(await shop.call('list_apps')).apps).toEqual(['shop-new', 'shop-web']);
  });

  test("a domain held by another tenant's app is refused without naming that app", async () => {
    const answer = await shop.call('add_app_domain', { app_name: 'shop-web', domain: 'pay.example.com' });
    expect(textOf(answer)).toBe('Domain pay.example.com is already attached to another app on this host. Choose another domain, or ask the operator of this server.');
    const own = await billing.call('add_app_domain', { app_name: 'billing-api', domain: 'shop.example.com' });
    expect(textOf(own)).not.toContain('shop-web');
  });

  test('host-wide tools and dokku://server/info need the admin scope', async () => {
    const { answer, hostCalls } = await observed(async () => [
      await shop.call('list_global_domains'),
      await shop.call('add_global_domain', { domain: 'evil.example.com' }),
      await shop.client.readResource({ uri: 'dokku://server/info' }).catch((e: Error) => e.message),
    ]);
    expect(hostCalls).toEqual([]);
    const [list, add, info] = answer as [CallToolResult, CallToolResult, string];
    expect(textOf(list)).toMatch(/^list_global_domains is not available: it concerns the whole Dokku host, which needs the admin scope \(this session has: read, write\); nothing was run\./);
    expect(textOf(add)).toMatch(/^add_global_domain is not available: .*admin scope/);
    expect(info).toMatch(/dokku:\/\/server\/info needs the admin scope .*this session has: read, write; nothing was run\./);
    const listed = (await shop.client.listTools()).tools.map((t) => t.name);
    expect(listed).not.toContain('list_global_domains');
    expect(listed).not.toContain('add_global_domain');
    expect(ok(await h.call('list_global_domains')).domains).toContain('dokku.me'); // the operator's session has them
  });

  describe('a read-scope caller', () => {
    const writeTools = () => h.container.get(ToolRegistrar).offeredTo(SHOP).filter((t) => t.kind !== 'read').map((t) => t.name);

    test('does not see tools with side effects, and its instructions say it is read-only', async () => {
      const listed = (await reader.client.listTools()).tools.map((t) => t.name);
      expect(writeTools().length).toBeGreaterThan(10);
      for (const name of writeTools()) expect(listed).not.toContain(name);
      expect(reader.client.getInstructions()).toMatch(/READ-ONLY MODE/);
    });

    test('is refused each of them with the read-only explanation, and nothing reaches the host', async () => {
      for (const name of writeTools()) {
        const args = APP_TOOLS[name]?.('shop-web') ?? DEPLOYMENT_TOOLS[name]?.(UNKNOWN_ID) ?? { app_name: 'shop-web2' };
        const { answer, hostCalls } = await observed(() => reader.call(name, args));
        expect(hostCalls).toEqual([]);
        expect(textOf(answer)).toMatch(new RegExp(`^${name} is not available: this session's token has the read scope only, so it offers only tools that read; nothing was changed\\. It can: .*ask the operator for a token with the write scope\\.$`));
      }
    });

    test('may read config keys but not reveal values', async () => {
      expect(ok(await reader.call('get_app_config', { app_name: 'shop-web' })).vars).toEqual({ API_KEY: '********' });
      const { answer, hostCalls } = await observed(() => reader.call('get_app_config', { app_name: 'shop-web', reveal: true }));
      expect(hostCalls).toEqual([]);
      expect(textOf(answer)).toMatch(/^reveal: true needs the write scope .*this session has: read; nothing was run\./);
      expect(ok(await shop.call('get_app_config', { app_name: 'shop-web', reveal: true })).vars).toEqual({ API_KEY: 'shop-web-key-0123456789' });
    });
  });
});
