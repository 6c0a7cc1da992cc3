import { DokkuCommandFailed } from '../../../domain/domain-errors.js';
import { RootRequired, type PublicKey, type SshKeyName } from '../../../domain/ssh-key.js';
import type { DokkuSshKeys, SshKeyEntry } from '../../../ports/dokku-ssh-keys.port.js';
import type { SandboxDokkuHost } from './sandbox-dokku-host.js';
import { fingerprintOf, SANDBOX_LOGIN_KEY } from './sandbox-plugins.js';

/** DokkuSshKeys on the simulated host, which logs this server in as `dokku`: add/remove need root unless configured. */
export class SandboxDokkuSshKeys implements DokkuSshKeys {
  constructor(private readonly host: SandboxDokkuHost) {}

  async list(): Promise<SshKeyEntry[]> {
    this.host.assertReachable();
    return this.host.plugin.sshKeys.map((key) => ({ ...key }));
  }

  async add(name: SshKeyName, key: PublicKey): Promise<string> {
    this.host.assertReachable();
    if (!this.host.plugin.sshKeysAsRoot) throw RootRequired.forAdd('dokku', name, key);
    if (this.host.plugin.sshKeys.some((k) => k.name === name.value)) throw new DokkuCommandFailed('ssh-keys:add', 1, 'Duplicate SSH Key name');
    const fingerprint = fingerprintOf(key.value);
    this.host.plugin.sshKeys.push({ name: name.value, fingerprint });
    return fingerprint;
  }

  async remove(name: SshKeyName): Promise<void> {
    this.host.assertReachable();
    if (!this.host.plugin.sshKeysAsRoot) throw RootRequired.forRemove('dokku', name);
    this.host.plugin.sshKeys = this.host.plugin.sshKeys.filter((k) => k.name !== name.value);
  }

  async loginFingerprints(): Promise<string[]> {
    return [SANDBOX_LOGIN_KEY.fingerprint];
  }
}
