import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import { Conflict, type AccessDenied, type HostUnreachable, type InvalidArgument } from '../../domain/domain-errors.js';
import { PublicKey, SshKeyName, type RootRequired } from '../../domain/ssh-key.js';
import { DokkuSshKeys } from '../../ports/dokku-ssh-keys.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type AddSshKeyError = InvalidArgument | AccessDenied | Conflict | RootRequired | HostUnreachable;

/**
 * Lets another public key log in to Dokku (deploy with git push, run commands). A private key given by mistake is
 * refused before anything leaves this process. Dokku files keys by name, and a name in use is refused.
 */
@injectable()
export class AddSshKey {
  constructor(
    @inject(DokkuSshKeys) private readonly keys: DokkuSshKeys,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller, input: { name: string; publicKey: string }): Promise<{ name: string; fingerprint: string }> {
    this.access.require(caller, 'admin', 'add_ssh_key');
    const key = PublicKey.of(input.publicKey);
    const name = SshKeyName.of(input.name);
    if ((await this.keys.list()).some((entry) => entry.name === name.value)) {
      throw new Conflict(`An SSH key named "${name.value}" is already registered on the host; nothing was added.`, 'Choose another name (list_ssh_keys shows the ones taken).');
    }
    return { name: name.value, fingerprint: await this.keys.add(name, key) };
  }
}
