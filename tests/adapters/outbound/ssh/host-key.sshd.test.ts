import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostUnreachable } from '../../../../src/domain/domain-errors.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { recordingLogger, sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
let dir: string;
const opened: Array<{ connection: { close(): Promise<void> } }> = [];
const adapters = (...args: Parameters<typeof sshAdapters>) => {
  const made = sshAdapters(...args);
  opened.push(made);
  return made;
};
const WRONG_FINGERPRINT = `SHA256:${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`;

beforeAll(async () => {
  fixture = await startSshd({ deployStepMs: 20 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-key-sshd-'));
});
afterAll(async () => {
  await Promise.all(opened.map((a) => a.connection.close()));
  await fixture.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('host key verification against a real sshd', () => {
  it('connects with the right fingerprint', async () => {
    const ssh = adapters(fixture, { hostKeyFingerprint: fixture.hostKeyFingerprint });
    await expect(ssh.apps.list()).resolves.toContain('node-js-app');
  });

  it('refuses a wrong fingerprint with a clear message, and does not retry it in a loop', async () => {
    const ssh = adapters(fixture, { hostKeyFingerprint: WRONG_FINGERPRINT });
    fixture.clearArgvLog();
    const error = await ssh.apps.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostUnreachable);
    expect((error as Error).message).toContain(`127.0.0.1:${fixture.port}`);
    expect((error as Error).message).toMatch(/does not match ssh.host_key_fingerprint/);
    expect((error as Error).message).toMatch(/man-in-the-middle/);
    expect(ssh.connection.connectAttempts).toBe(1);
    // Further calls get the same answer without another handshake.
    await expect(ssh.apps.list()).rejects.toThrow(/man-in-the-middle/);
    await expect(ssh.server.info()).rejects.toThrow(/man-in-the-middle/);
    expect(ssh.connection.connectAttempts).toBe(1);
    expect(fixture.argvLog()).toEqual([]);
  });

  it('keeps refusing a mismatched host key for the life of the process, even after the connect timeout', async () => {
    const ssh = adapters(fixture, { hostKeyFingerprint: WRONG_FINGERPRINT, connectTimeoutMs: 200 });
    const first = await ssh.apps.list().catch((e: unknown) => e);
    expect((first as HostUnreachable).hint).toMatch(/^Do not retry: first check the key on the host itself/);
    await new Promise((r) => setTimeout(r, 400)); // two connect timeouts
    await expect(ssh.apps.list()).rejects.toThrow(/does not match ssh.host_key_fingerprint/);
    expect(ssh.connection.connectAttempts).toBe(1);
  });

  it("connects with the fixture's known_hosts file", async () => {
    const ssh = adapters(fixture, { hostKeyFingerprint: undefined, knownHosts: fixture.knownHostsPath });
    await expect(ssh.apps.list()).resolves.toContain('node-js-app');
  });

  it('connects with a hashed known_hosts file', async () => {
    const file = path.join(dir, 'hashed_known_hosts');
    fs.copyFileSync(fixture.knownHostsPath, file);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    const ssh = adapters(fixture, { hostKeyFingerprint: undefined, knownHosts: file });
    await expect(ssh.apps.list()).resolves.toContain('node-js-app');
  });

  it('refuses when known_hosts holds another key for the host', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'other')]);
    const other = fs.readFileSync(path.join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const file = path.join(dir, 'wrong_known_hosts');
    fs.writeFileSync(file, `[127.0.0.1]:${fixture.port} ${other}\n`);
    const ssh = adapters(fixture, { hostKeyFingerprint: undefined, knownHosts: file });
    await expect(ssh.apps.list()).rejects.toThrow(/does not match the one in .*wrong_known_hosts.*man-in-the-middle/);
  });

  it('refuses with neither pin, saying how to pin the key', async () => {
    const ssh = adapters(fixture, { hostKeyFingerprint: undefined, knownHosts: undefined });
    fixture.clearArgvLog();
    const error = await ssh.apps.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostUnreachable);
    expect((error as Error).message).toContain(`ssh-keyscan -p ${fixture.port} 127.0.0.1 | ssh-keygen -lf -`);
    expect((error as Error).message).toMatch(/ssh.host_key_fingerprint/);
    expect((error as Error).message).toMatch(/ssh.known_hosts/);
    expect(fixture.argvLog()).toEqual([]);
  });

  it('connects without a pin when strictHostKey is false, and warns', async () => {
    const logger = recordingLogger();
    const ssh = adapters(fixture, { hostKeyFingerprint: undefined, knownHosts: undefined, strictHostKey: false }, logger);
    await expect(ssh.apps.list()).resolves.toContain('node-js-app');
    expect(logger.entries.some((e) => e.level === 'warn' && /NOT verified/.test(e.msg))).toBe(true);
  });
});

describe('authentication', () => {
  it('refuses a key the host does not know, with HostUnreachable naming host:port', async () => {
    const ssh = adapters(fixture, { keyPath: path.join(dir, 'other') });
    await expect(ssh.apps.list()).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${fixture.port}.*authentication failed`));
  });

  it('tries a refused login again at most once per connect timeout', async () => {
    const key = path.join(dir, 'unregistered');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const ssh = adapters(fixture, { keyPath: key, connectTimeoutMs: 300 });
    const first = await ssh.apps.list().catch((e: unknown) => e);
    expect((first as HostUnreachable).hint).toMatch(/dokku ssh-keys:add dokku-mcp .*unregistered\.pub/);
    // At once: the same answer, no new handshake.
    const results = await Promise.all([ssh.apps.list(), ssh.server.info()].map((p) => p.catch((e: unknown) => e)));
    for (const again of results) expect((again as Error).message).toBe((first as Error).message);
    expect(ssh.connection.connectAttempts).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    await expect(ssh.apps.list()).rejects.toThrow(/authentication failed/);
    expect(ssh.connection.connectAttempts).toBe(2);
  });

  it('uses the SSH agent when no key path is given', async () => {
    const agent = execFileSync('ssh-agent', ['-s'], { encoding: 'utf8' });
    const sock = /SSH_AUTH_SOCK=([^;]+);/.exec(agent)![1]!;
    const pid = Number(/SSH_AGENT_PID=(\d+);/.exec(agent)![1]);
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      execFileSync('ssh-add', [fixture.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      process.env.SSH_AUTH_SOCK = sock;
      const ssh = adapters(fixture, { keyPath: undefined });
      await expect(ssh.apps.list()).resolves.toContain('node-js-app');
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      process.kill(pid, 'SIGTERM');
    }
  });

  it('without a key path or an agent, says what to configure', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const ssh = adapters(fixture, { keyPath: undefined });
      await expect(ssh.apps.list()).rejects.toThrow(/ssh.key_path.*ssh-agent/);
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });
});
