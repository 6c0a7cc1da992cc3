import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startSshd, type SshdFixture } from '../support/sshd-fixture.js';

/**
 * The start-up check against a real sshd (and a closed port, and a port that never speaks SSH): each failure gets its
 * own one-line message, the same from `--check` (stdout, exit 1), from the stderr "NOT READY" line and from a tool
 * call over stdio, within one connect timeout.
 */
const ROOT = resolve(process.cwd());
const MAIN = resolve(ROOT, 'dist/main.js');
const CONNECT_TIMEOUT_MS = 2_000;
/** One connect timeout, plus a generous allowance for starting Node and the server. */
const WITHIN_MS = CONNECT_TIMEOUT_MS + 8_000;
const PLACEHOLDER = `SHA256:${'A'.repeat(43)}`;
const WRONG_PIN = `SHA256:${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`;
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let fixture: SshdFixture;
let dir: string;
let closedPort: number;
let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DOKKU_MCP_SSH_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
  ...extra,
});

interface Case {
  key?: string;
  port?: number;
  pin?: string;
}
const argsFor = (c: Case): string[] => [
  '--ssh-host', '127.0.0.1', '--ssh-port', String(c.port ?? fixture.port), '--ssh-user', fixture.user,
  '--ssh-key', c.key ?? fixture.clientKeyPath, '--ssh-host-key-fingerprint', c.pin ?? fixture.hostKeyFingerprint,
];

function check(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, [MAIN, '--check', ...args], { cwd: ROOT, env: env(extraEnv), timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A tool call over stdio, and the stderr line the server printed about its check. */
async function toolCall(args: string[]): Promise<{ text: string; isError: boolean; notReady: string; ms: number }> {
  let stderr = '';
  const transport = new StdioClientTransport({ command: process.execPath, args: [MAIN, ...args], env: env(), stderr: 'pipe', cwd: ROOT });
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'startup-check', version: '1.0.0' });
  const started = Date.now();
  await client.connect(transport);
  try {
    const result = (await client.callTool({ name: 'list_apps', arguments: {} })) as CallToolResult;
    const ms = Date.now() - started;
    for (let i = 0; i < 200 && !/NOT READY: |ready: /.test(stderr); i++) await new Promise((r) => setTimeout(r, 25));
    const notReady = /dokku-mcp: NOT READY: (.*) The server keeps running/.exec(stderr)?.[1] ?? `(no NOT READY line in: ${stderr})`;
    return { text: textOf(result), isError: result.isError === true, notReady, ms };
  } finally {
    await client.close();
  }
}

const failed = (stdout: string): string => /^dokku-mcp --check: FAILED: (.*)$/m.exec(stdout)?.[1] ?? `(no FAILED line in: ${stdout})`;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run "npm run build" first (make test does).`);
  fixture = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'startup-check-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-f', join(dir, 'encrypted')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'unregistered')]);
  // A port nobody listens on: bound, read, released.
  closedPort = await new Promise<number>((done) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
  // Accepts TCP and never writes a byte: not an SSH server.
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => silentSockets.delete(socket));
  });
  silentPort = await new Promise<number>((done) => silent.listen(0, '127.0.0.1', () => done((silent.address() as net.AddressInfo).port)));
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((done) => (silent ? silent.close(done) : done(undefined)));
  await fixture?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--check', () => {
  it('exits 0 and says what it verified when everything is right', async () => {
    const result = await check(argsFor({}));
    expect(result.stdout).toMatch(new RegExp(`^dokku-mcp --check: OK: 127\\.0\\.0\\.1:${fixture.port} runs Dokku \\d+\\.\\d+\\.\\d+; the key was accepted and the host key matches ssh.host_key_fingerprint \\(${escape(fixture.hostKeyFingerprint)}\\)\\.\n$`));
    expect(result.code).toBe(0);
  });

  it('exits 2 with the problem on stdout when the configuration is invalid', async () => {
    const result = await check(['--ssh-host', '127.0.0.1', '--ssh-port', 'many']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('dokku-mcp --check: configuration invalid: dokku-mcp: ssh.port: must be an integer');
  });
});

/** Each failure: what the line must say, checked through --check and through a tool call over stdio. */
const failures: Array<{ name: string; setup: () => Case; expect: () => RegExp[] }> = [
  {
    name: 'a missing key file',
    setup: () => ({ key: join(dir, 'no_such_key') }),
    expect: () => [
      new RegExp(`^Cannot use the Dokku host 127\\.0\\.0\\.1:${fixture.port}: the SSH key ${escape(join(dir, 'no_such_key'))} \\(ssh\\.key_path\\) does not exist`),
      /Fix ssh\.key_path \(--ssh-key\)/,
      /dokku ssh-keys:add/,
    ],
  },
  {
    name: 'an encrypted key without a passphrase',
    setup: () => ({ key: join(dir, 'encrypted') }),
    expect: () => [
      new RegExp(`the SSH key ${escape(join(dir, 'encrypted'))} \\(ssh\\.key_path\\) is encrypted and no passphrase was given \\(the environment variable DOKKU_MCP_SSH_KEY_PASSPHRASE is not set\\)`),
      /Set DOKKU_MCP_SSH_KEY_PASSPHRASE to the key's passphrase/,
    ],
  },
  {
    name: "the example's placeholder pin",
    setup: () => ({ pin: PLACEHOLDER }),
    expect: () => [
      new RegExp(`^Cannot use the Dokku host 127\\.0\\.0\\.1:${fixture.port}: ssh\\.host_key_fingerprint is still the placeholder of config/example\\.yaml`),
      new RegExp(`ssh-keyscan -p ${fixture.port} 127\\.0\\.0\\.1 \\| ssh-keygen -lf -`),
      /ssh-keygen -lf \/etc\/ssh\/ssh_host_ed25519_key\.pub/,
    ],
  },
  {
    name: 'a wrong pin',
    setup: () => ({ pin: WRONG_PIN }),
    expect: () => [
      new RegExp(`the host key of 127\\.0\\.0\\.1:${fixture.port} \\(${escape(fixture.hostKeyFingerprint)}\\) does not match ssh\\.host_key_fingerprint \\(${escape(WRONG_PIN)}\\)`),
      /man-in-the-middle/,
      /Do not retry/,
      new RegExp(`re-pin it: set ssh\\.host_key_fingerprint to the SHA256:\\.\\.\\. printed by \`ssh-keyscan -p ${fixture.port} 127\\.0\\.0\\.1 \\| ssh-keygen -lf -\``),
    ],
  },
  {
    name: 'a login the host refuses',
    setup: () => ({ key: join(dir, 'unregistered') }),
    expect: () => [
      new RegExp(`the host refused the SSH login of user "${escape(fixture.user)}" with the key ${escape(join(dir, 'unregistered'))} \\(authentication failed\\)`),
      new RegExp(`dokku ssh-keys:add dokku-mcp ${escape(join(dir, 'unregistered'))}\\.pub`),
    ],
  },
  {
    name: 'a closed port',
    setup: () => ({ port: closedPort }),
    expect: () => [
      new RegExp(`^Cannot reach the Dokku host 127\\.0\\.0\\.1:${closedPort}: connection refused: nothing listens on that port`),
      /then try again\.$/,
    ],
  },
  {
    name: 'a port that accepts TCP but never speaks SSH',
    setup: () => ({ port: silentPort }),
    expect: () => [
      new RegExp(`^Cannot reach the Dokku host 127\\.0\\.0\\.1:${silentPort}: the host accepted the TCP connection but did not complete the SSH handshake within ${CONNECT_TIMEOUT_MS} ms`),
      /then try again\.$/,
    ],
  },
];

describe.each(failures)('start-up with $name', (failure) => {
  let line: string;

  it('--check prints its own one-line message on stdout and exits 1, within one connect timeout', async () => {
    const result = await check(argsFor(failure.setup()));
    line = failed(result.stdout);
    for (const pattern of failure.expect()) expect(line).toMatch(pattern);
    expect(line).not.toMatch(/\n/);
    expect(line).not.toMatch(/\[REDACTED\]|privateKeyPath|Cannot parse|AssertionError/);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(WITHIN_MS);
  });

  it('stdio still starts, says so on stderr, and a tool answers with the same message', async () => {
    const result = await toolCall(argsFor(failure.setup()));
    expect(result.isError).toBe(true);
    for (const pattern of failure.expect()) expect(result.text).toMatch(pattern);
    expect(result.text).toBe(line);
    expect(result.notReady).toBe(line);
    expect(result.ms).toBeLessThan(WITHIN_MS);
  });
});
