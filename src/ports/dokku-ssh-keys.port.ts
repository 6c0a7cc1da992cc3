import type { PublicKey, SshKeyName } from '../domain/ssh-key.js';

export interface SshKeyEntry {
  readonly name: string;
  /** As ssh-keygen prints it: "SHA256:<base64>" (older hosts: MD5 "aa:bb:…"). */
  readonly fingerprint: string;
}

/** The public keys allowed to log in to Dokku (ssh-keys:*). Fails with HostUnreachable. */
export const DokkuSshKeys = Symbol('DokkuSshKeys');
export interface DokkuSshKeys {
  list(): Promise<SshKeyEntry[]>;
  /** Adds the key; resolves with its fingerprint. Fails with RootRequired where Dokku refuses its user. */
  add(name: SshKeyName, key: PublicKey): Promise<string>;
  /** Removes the keys of that name. Fails with RootRequired where Dokku refuses its user. */
  remove(name: SshKeyName): Promise<void>;
  /** SHA256 fingerprints of the key(s) this server logs in with; never fails (empty when it cannot tell). */
  loginFingerprints(): Promise<string[]>;
}
