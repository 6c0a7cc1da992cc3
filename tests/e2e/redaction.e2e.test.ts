import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';

/**
 * Issue 14, item 3, on the whole real path: the BUILT server over stdio, a real sshd, the Dokku stand-in seeded with an
 * app whose config holds secrets and whose runtime log prints them, a private key, and secrets in the forms that
 * leaked (ANSI, JSON escaping, *_KEY / *_PASS names, a Sentry DSN, cookies, command lines). No window may show any.
 */
const MAIN = resolve(process.cwd(), 'dist/main.js');
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

const CONFIG = {
  DATABASE_URL: 'postgres://app:Db-Pa55word@db:5432/app',
  STRIPE_WEBHOOK: 'whsec_live_51Hx9Zq',
  RAILS_MASTER_KEY: 'c0ffee42',
  SIGNING_CERT: 'first line of cert AAAA\n   second line of cert BBBB  ',
  NODE_ENV: 'production',
};
const KEY_BODY = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo', '4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onL', 'Rnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKf'];
const RUNTIME_LOG = [
  '> rails server',
  'Loading key:',
  '-----BEGIN RSA PRIVATE KEY-----',
  ...KEY_BODY,
  '-----END RSA PRIVATE KEY-----',
  'webhook secret is whsec_live_51Hx9Zq',
  'master key c0ffee42 loaded',
  'cert: first line of cert AAAA',
  'second line of cert BBBB',
  '\x1b[1mDATABASE_PASSWORD\x1b[0m=hunter2xyz',
  '{"url":"postgres:\\/\\/u:Esc4ped-pw@h:5432\\/db"}',
  'APP_KEY=base64:QUJDREVGR0hJSktMTU5PUA==',
  'DB_PASS=pl41n-pass',
  'Sentry ready: https://0123456789abcdef0123456789abcdef@o123.ingest.sentry.io/456',
  'Set-Cookie: _session_id=5e55i0nC00kie; Path=/; HttpOnly',
  'running mysql -u root -pMy5qlPw app_db',
  'pg_dump --password L0ngF0rmPw x',
  'Listening on 5000 in production',
];
const SECRETS = [
  ...KEY_BODY, 'Db-Pa55word', 'whsec_live_51Hx9Zq', 'c0ffee42', 'first line of cert AAAA', 'second line of cert BBBB', 'hunter2xyz',
  'Esc4ped-pw', 'QUJDREVGR0hJSktMTU5PUA', 'pl41n-pass', '0123456789abcdef0123456789abcdef', '5e55i0nC00kie', 'My5qlPw', 'L0ngF0rmPw',
];
const leaks = (text: string) => SECRETS.filter((secret) => text.includes(secret));

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
});

describe('redaction over stdio and real SSH (issue 14)', () => {
  let fixture: SshdFixture;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    fixture = await startSshd({ deployStepMs: 20 });
    fixture.seed({
      apps: { 'vault-app': { deployed: true, running: true, config: CONFIG, scale: { web: 1 }, runtimeLog: RUNTIME_LOG } },
    });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MAIN, '--ssh-host', fixture.host, '--ssh-port', String(fixture.port), '--ssh-user', fixture.user, '--ssh-key', fixture.clientKeyPath],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: fixture.hostKeyFingerprint },
      stderr: 'pipe',
    });
    client = new Client({ name: 'e2e-redaction', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await fixture?.stop();
  });

  it('get_runtime_logs shows none of the secrets in any window, and keeps the ordinary lines', async () => {
    for (let lines = 1; lines <= RUNTIME_LOG.length + 1; lines++) {
      const result = await call('get_runtime_logs', { app_name: 'vault-app', lines });
      expect(result.isError).toBeFalsy();
      const text = `${textOf(result)}\n${JSON.stringify(result.structuredContent)}`;
      expect({ lines, leaks: leaks(text) }).toEqual({ lines, leaks: [] });
      expect(text).toContain('Listening on 5000 in production'); // "production" is a config value, too plain to redact
    }
    // The app's config was read once or so for all those polls (cached), not once per poll.
    const configReads = fixture.argvLog().filter((argv) => argv[0]?.startsWith('config:')).length;
    expect(configReads).toBeGreaterThanOrEqual(1);
    expect(configReads).toBeLessThan(RUNTIME_LOG.length / 2);
  });

  it('the dokku://app/{name}/logs resource goes through the same redaction', async () => {
    const read = await client.readResource({ uri: 'dokku://app/vault-app/logs' });
    const text = read.contents.map((c) => ('text' in c ? c.text : '')).join('\n');
    expect(text).toContain('-----END RSA PRIVATE KEY-----');
    expect(leaks(text)).toEqual([]);
  });
});
