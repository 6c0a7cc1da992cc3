import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { Conflict, InvalidArgument, type AccessDenied, type HostUnreachable } from '../../domain/domain-errors.js';
import { SshKeyName, type RootRequired } from '../../domain/ssh-key.js';
import { DokkuSshKeys } from '../../ports/dokku-ssh-keys.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type RemoveSshKeyError = InvalidArgument | AccessDenied | Conflict | RootRequired | HostUnreachable;

/**
 * Stops a public key from logging in to Dokku. The key this server itself logs in with is refused (its fingerprint is
 * compared): removing it would lock the server out mid-session. Confirmation is the inbound adapter's duty.
 */
@injectable()
export class RemoveSshKey {
  constructor(
    @inject(DokkuSshKeys) private readonly keys: DokkuSshKeys,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { name: string }): Promise<{ name: string }> {
    this.access.require(caller, 'admin', 'remove_ssh_key');
    const name = SshKeyName.of(input.name);
    const [keys, own] = await Promise.all([this.keys.list(), this.keys.loginFingerprints()]);
    const named = keys.filter((key) => key.name === name.value);
    if (named.length === 0) {
      throw new InvalidArgument('name', `no SSH key named "${name.value}" is registered on the host; nothing was removed`, 'Call list_ssh_keys to see the names.');
    }
    const ours = named.find((key) => own.includes(key.fingerprint));
    if (ours) {
      throw new Conflict(
        `SSH key "${name.value}" (${ours.fingerprint}) is the key this server logs in with; removing it would lock this server out, so nothing was removed.`,
        'If that is really wanted, give the server another key first (ssh.key_path), or remove this one on the host yourself.',
      );
    }
    await this.keys.remove(name);
    return { name: name.value };
  }
}
