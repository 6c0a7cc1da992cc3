import { DomainError, InvalidArgument } from './domain-errors.js';

/**
 * The name Dokku files a key under (ssh-keys:add <name>). sshcommand writes it into the authorized_keys line as
 * NAME=\"<name>\" and finds it again with grep and sed, so only characters that mean nothing to either are allowed.
 */
export class SshKeyName {
  static readonly RULE = 'a key name is letters, digits, ".", "_", "@" and "-", starting with a letter or digit, at most 64 characters (e.g. "alice-laptop")';
  private constructor(readonly value: string) {}

  static of(raw: string, field = 'name'): SshKeyName {
    if (typeof raw !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(raw)) {
      throw new InvalidArgument(field, `${SshKeyName.RULE}; got ${JSON.stringify(String(raw).slice(0, 70))}`);
    }
    return new SshKeyName(raw);
  }
}

const KEY_TYPES = [
  'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

/**
 * Signs of a private key: a PEM/OpenSSH armour line, PuTTY's file header, or the base64 of the "openssh-key-v1" magic
 * that opens an OpenSSH private key body (a key pasted without its armour lines).
 */
const PRIVATE = /PRIVATE KEY|-----BEGIN|PuTTY-User-Key-File|b3BlbnNzaC1rZXktdjE/i;

/** Whether `text` holds (or looks like it holds) a private key. */
export const looksLikePrivateKey = (text: unknown): boolean => typeof text === 'string' && PRIVATE.test(text);

/**
 * An OpenSSH public key line, "<type> <base64> [comment]", as `ssh-keygen` writes a .pub file: one of the key types
 * Dokku's sshd accepts, and a body that decodes to a key blob of that type. A private key is refused without its text
 * ever being repeated (not in the error, not in a log), and is never sent anywhere.
 */
export class PublicKey {
  static readonly RULE = 'a public key is one line "<type> <base64> [comment]" as in a .pub file (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or an sk- key)';
  private constructor(
    readonly value: string,
    readonly type: string,
  ) {}

  static of(raw: string, field = 'public_key'): PublicKey {
    if (looksLikePrivateKey(raw)) {
      throw new InvalidArgument(
        field,
        'this is a private key, not a public one; it was not sent to the host and is not repeated here',
        'Give the public half instead: the contents of the .pub file, or what `ssh-keygen -y -f <private key file>` prints. Never paste a private key.',
      );
    }
    if (typeof raw !== 'string') throw new InvalidArgument(field, `${PublicKey.RULE}; got no text`);
    const line = raw.trim();
    const match = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([^\r\n\0]{0,256}))?$/.exec(line);
    const type = match?.[1];
    if (!match || !type || !(KEY_TYPES as readonly string[]).includes(type) || !PublicKey.blobMatches(match[2]!, type)) {
      // The text is not echoed: whatever it is, the model sent it in place of a key.
      throw new InvalidArgument(field, `${PublicKey.RULE}; what was given is not one (it is not repeated here)`);
    }
    return new PublicKey(match[3] ? `${type} ${match[2]} ${match[3].trim()}` : `${type} ${match[2]}`, type);
  }

  /**
   * The blob is its own type name then the key's fields, each length-prefixed (RFC 4253 §6.6), filling it exactly: a
   * truncated body, or one pasted from another key type, is not.
   */
  private static blobMatches(body: string, type: string): boolean {
    if (body.length % 4 !== 0 || body.length > 16_384) return false;
    let blob: string;
    try {
      blob = atob(body);
    } catch {
      return false;
    }
    const fields: string[] = [];
    for (let at = 0; at < blob.length; ) {
      if (at + 4 > blob.length) return false;
      const length = ((blob.charCodeAt(at) << 24) | (blob.charCodeAt(at + 1) << 16) | (blob.charCodeAt(at + 2) << 8) | blob.charCodeAt(at + 3)) >>> 0;
      if (at + 4 + length > blob.length) return false;
      fields.push(blob.slice(at + 4, at + 4 + length));
      at += 4 + length;
    }
    return fields.length >= 2 && fields[0] === type;
  }
}

/**
 * An SSH key Dokku may only change as root: over its `dokku` user it answers "This command must be run as root". The
 * hint is the exact command an operator runs on the host.
 */
export class RootRequired extends DomainError {
  readonly code = 'ROOT_REQUIRED' as const;
  constructor(
    readonly command: string,
    readonly user: string,
    readonly hint: string,
  ) {
    super(`Dokku runs ${command} only as root ("This command must be run as root"), and this server logs in as "${user}"; nothing was changed.`);
    this.name = 'RootRequired';
  }

  static forAdd(user: string, name: SshKeyName, key: PublicKey): RootRequired {
    return new RootRequired('ssh-keys:add', user, `An operator runs it on the host instead: \`echo '${key.value}' | sudo dokku ssh-keys:add ${name.value}\`.`);
  }

  static forRemove(user: string, name: SshKeyName): RootRequired {
    return new RootRequired('ssh-keys:remove', user, `An operator runs it on the host instead: \`sudo dokku ssh-keys:remove ${name.value}\`.`);
  }
}
