import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_LOGIN_KEY } from '../../../../src/adapters/outbound/sandbox/sandbox-plugins.js';
import type { Caller } from '../../../../src/domain/caller.js';
import { recordHostCalls, type HostCall } from '../../../support/recording-dokku-ports.js';
import { connectAs, failure, ok, startHarness, type Harness } from './mcp-harness.js';

/** A fresh ed25519 pair from ssh-keygen: both halves, as a user would have them. */
function keyPair(): { privateKey: string; publicKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-key-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', join(dir, 'id')]);
    return { privateKey: readFileSync(join(dir, 'id'), 'utf8'), publicKey: readFileSync(join(dir, 'id.pub'), 'utf8').trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ssh_keys tools', () => {
  let h: Harness;
  let calls: HostCall[];
  const alice = keyPair();
  afterEach(async () => h?.close());
  const start = async (options: Parameters<typeof startHarness>[0] = {}) => {
    h = await startHarness({ toolsets: ['apps', 'ssh_keys'], configure: (c) => void (calls = recordHostCalls(c)), ...options });
  };

  it('lists the keys, marking the one this server logs in with', async () => {
    await start();
    expect(ok(await h.call('list_ssh_keys'))).toEqual({ keys: [{ name: 'admin', fingerprint: SANDBOX_LOGIN_KEY.fingerprint, used_by_this_server: true }], count: 1 });
  });

  it('refuses a private key without repeating it, and nothing reaches the host', async () => {
    await start({ plugins: { sshKeysAsRoot: true } });
    const body = alice.privateKey.split('\n')[2]!; // a line of the key's base64 body
    for (const given of [alice.privateKey, alice.privateKey.split('\n').slice(1, -2).join('\n')]) {
      const before = calls.length;
      const text = failure(await h.call('add_ssh_key', { name: 'alice', public_key: given }));
      expect(text).toBe(
        'Invalid public_key: this is a private key, not a public one; it was not sent to the host and is not repeated here. ' +
          'Give the public half instead: the contents of the .pub file, or what `ssh-keygen -y -f <private key file>` prints. Never paste a private key.',
      );
      expect(text).not.toContain(body);
      expect(calls.slice(before)).toEqual([]);
    }
    expect(h.logLines.join('')).not.toContain(body); // not in the audit line either
    expect(failure(await h.call('add_ssh_key', { name: 'alice', public_key: 'ssh-ed25519 notbase64!' }))).toMatch(/what was given is not one \(it is not repeated here\)/);
  });

  it('over the dokku user, add and remove are refused with the exact command to run on the host', async () => {
    await start();
    const text = failure(await h.call('add_ssh_key', { name: 'alice', public_key: alice.publicKey }));
    expect(text).toBe(
      'Dokku runs ssh-keys:add only as root ("This command must be run as root"), and this server logs in as "dokku"; nothing was changed. ' +
        `An operator runs it on the host instead: \`echo '${alice.publicKey}' | sudo dokku ssh-keys:add alice\`.`,
    );
    h.host.plugin.sshKeys.push({ name: 'bob', fingerprint: 'SHA256:bobbobbob' });
    expect(failure(await h.call('remove_ssh_key', { name: 'bob', confirm_name: 'bob' }))).toContain('`sudo dokku ssh-keys:remove bob`');
  });

  it('where the host allows them: adds, refuses a taken name, removes after confirmation, never this server\'s own key', async () => {
    await start({ plugins: { sshKeysAsRoot: true } });
    const added = ok(await h.call('add_ssh_key', { name: 'alice', public_key: alice.publicKey }));
    const fingerprint = execFileSync('ssh-keygen', ['-lf', '-'], { input: `${alice.publicKey}\n` }).toString().split(' ')[1];
    expect(added).toEqual({ name: 'alice', fingerprint });
    expect(failure(await h.call('add_ssh_key', { name: 'alice', public_key: alice.publicKey }))).toMatch(/^An SSH key named "alice" is already registered/);
    const before = calls.length;
    expect(failure(await h.call('remove_ssh_key', { name: 'alice' }))).toMatch(/this needs confirmation; nothing was changed\. .*confirm_name: "alice"/);
    expect(calls.slice(before)).toEqual([]);
    expect(failure(await h.call('remove_ssh_key', { name: 'admin', confirm_name: 'admin' }))).toMatch(
      /^SSH key "admin" \(SHA256:\S+\) is the key this server logs in with; removing it would lock this server out, so nothing was removed\./,
    );
    expect(ok(await h.call('remove_ssh_key', { name: 'alice', confirm_name: 'alice' }))).toEqual({ name: 'alice', removed: true });
    expect(ok(await h.call('list_ssh_keys')).keys.map((k: { name: string }) => k.name)).toEqual(['admin']);
    expect(failure(await h.call('remove_ssh_key', { name: 'alice', confirm_name: 'alice' }))).toMatch(/no SSH key named "alice"/);
  });

  it('needs the admin scope: not offered to a tenant, and refused with no host call', async () => {
    await start({ access: { tenants: { shop: ['shop-*'] } } });
    const shop: Caller = { transport: 'stdio', sessionId: 's', tokenId: 't', tenant: 'shop', scopes: ['read', 'write'] };
    const session = await connectAs(h.container, shop);
    try {
      expect((await session.client.listTools()).tools.map((t) => t.name)).not.toContain('list_ssh_keys');
      const before = calls.length;
      expect(failure(await session.call('list_ssh_keys'))).toMatch(/^list_ssh_keys is not available: it concerns the whole Dokku host, which needs the admin scope/);
      expect(calls.slice(before)).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
