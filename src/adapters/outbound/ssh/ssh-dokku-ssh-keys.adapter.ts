import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import { RootRequired, type PublicKey, type SshKeyName } from '../../../domain/ssh-key.js';
import type { DokkuSshKeys, SshKeyEntry } from '../../../ports/dokku-ssh-keys.port.js';
import { DokkuCommand } from './dokku-command.js';
import { DokkuRunner } from './dokku-runner.js';
import { parseSshKeysJson, parseSshKeysText } from './plugin-output-parsers.js';
import type { ExecResult } from './ssh-channel.js';
import type { SshConnection } from './ssh-connection.js';
import { dokkuMessage } from './ssh-errors.js';
import { loadPrivateKey } from './ssh-key.js';

const MUST_BE_ROOT = /must be run as root/;

/** `SHA256:<base64 without padding>` of a public key blob, as ssh-keygen -l prints it. */
export const sha256Fingerprint = (blob: Buffer): string => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/**
 * DokkuSshKeys over SSH. The key to add travels on stdin, as `ssh-keys:add <name>` reads it from a pipe. Dokku runs
 * ssh-keys:add/remove only as root: over its `dokku` user the refusal becomes RootRequired with the command to run.
 */
export class SshDokkuSshKeys implements DokkuSshKeys {
  private readonly dokku: DokkuRunner;
  private own?: Promise<string[]>;

  constructor(
    private readonly connection: SshConnection,
    sanitizer: Sanitizer,
  ) {
    this.dokku = new DokkuRunner(connection, sanitizer);
  }

  async list(): Promise<SshKeyEntry[]> {
    const json = await this.dokku.supports('sshKeysListJson');
    const command = json ? DokkuCommand.of('ssh-keys:list').json() : DokkuCommand.of('ssh-keys:list');
    const result = await this.dokku.exec(command);
    if (result.code !== 0 && /No public keys found/.test(dokkuMessage(result))) return [];
    if (result.code !== 0) throw this.dokku.failure(command, result);
    return this.dokku.parse(command, result.stdout, json ? parseSshKeysJson : parseSshKeysText);
  }

  async add(name: SshKeyName, key: PublicKey): Promise<string> {
    const command = DokkuCommand.of('ssh-keys:add').value(name);
    const result = await this.dokku.exec(command, { stdin: `${key.value}\n` });
    if (this.refusedAsNotRoot(result)) throw RootRequired.forAdd(this.connection.options.user, name, key);
    if (result.code !== 0) throw this.dokku.failure(command, result);
    return /(SHA256:\S+|(?:[0-9a-f]{2}:){15}[0-9a-f]{2})/.exec(result.stdout)?.[1] ?? 'unknown';
  }

  async remove(name: SshKeyName): Promise<void> {
    const command = DokkuCommand.of('ssh-keys:remove').value(name);
    const result = await this.dokku.exec(command);
    if (this.refusedAsNotRoot(result)) throw RootRequired.forRemove(this.connection.options.user, name);
    if (result.code !== 0) throw this.dokku.failure(command, result);
  }

  /** The key file's public half, or every key the ssh-agent offers (any of them may be the one that logged in). */
  loginFingerprints(): Promise<string[]> {
    this.own ??= this.readLoginFingerprints().catch(() => []);
    return this.own;
  }

  private async readLoginFingerprints(): Promise<string[]> {
    const options = this.connection.options;
    if (options.keyPath) {
      const { key, passphrase } = loadPrivateKey(options);
      const parsed = ssh2.utils.parseKey(key, passphrase);
      const first = Array.isArray(parsed) ? parsed[0] : parsed;
      return first && !(first instanceof Error) ? [sha256Fingerprint(first.getPublicSSH())] : [];
    }
    const socket = process.env.SSH_AUTH_SOCK;
    if (!socket) return [];
    const identities = await new Promise<unknown[]>((resolve, reject) =>
      new ssh2.OpenSSHAgent(socket).getIdentities((error, keys) => (error ? reject(error) : resolve(keys ?? []))),
    );
    return identities.flatMap((identity) => {
      const key = identity as { getPublicSSH?: () => Buffer };
      return typeof key.getPublicSSH === 'function' ? [sha256Fingerprint(key.getPublicSSH())] : [];
    });
  }

  private refusedAsNotRoot(result: ExecResult): boolean {
    return result.code !== 0 && MUST_BE_ROOT.test(dokkuMessage(result));
  }
}
