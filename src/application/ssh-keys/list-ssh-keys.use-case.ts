import { inject, injectable } from 'inversify';
import type { Caller } from '../../domain/caller.js';
import type { AccessDenied, HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuSshKeys } from '../../ports/dokku-ssh-keys.port.js';
import { AccessPolicy } from '../access/access-policy.js';

export type ListSshKeysError = AccessDenied | HostUnreachable;

export interface SshKeyView {
  readonly name: string;
  readonly fingerprint: string;
  /** This server logs in with it (so it cannot be removed through this server). */
  readonly usedByThisServer: boolean;
}

/** The public keys that may log in to Dokku: host-wide, so the admin scope. */
@injectable()
export class ListSshKeys {
  constructor(
    @inject(DokkuSshKeys) private readonly keys: DokkuSshKeys,
    @inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  async execute(caller: Caller): Promise<SshKeyView[]> {
    this.access.require(caller, 'admin', 'list_ssh_keys');
    const [keys, own] = await Promise.all([this.keys.list(), this.keys.loginFingerprints()]);
    return keys.map((key) => ({ name: key.name, fingerprint: key.fingerprint, usedByThisServer: own.includes(key.fingerprint) }));
  }
}
