import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import ssh2 from 'ssh2';
import type { SshOptions } from './ssh-options.js';

/** Why the key cannot be used, in an operator's words (never the library's), and what to do about it. */
export class KeyUnusable extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'KeyUnusable';
  }
}

const expandHome = (path: string): string => (path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path);

/**
 * Reads and decrypts the private key before any connection, so a missing file, a wrong passphrase or a public key
 * given by mistake is named as such. (node-ssh would say "config.privateKeyPath does not exist at given fs path", and
 * ssh2 "Cannot parse privateKey: …": neither says which file, or what to do.)
 */
export function loadPrivateKey(options: Pick<SshOptions, 'keyPath' | 'keyPassphrase' | 'keyPassphraseEnv' | 'user' | 'host'>): {
  key: string;
  passphrase?: string;
} {
  const path = expandHome(options.keyPath!);
  const named = `the SSH key ${path} (ssh.key_path)`;
  const passphraseVar = options.keyPassphraseEnv ?? 'DOKKU_MCP_SSH_KEY_PASSPHRASE';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new KeyUnusable(
        `${named} does not exist`,
        `Fix ssh.key_path (--ssh-key) to name the private key whose public half is registered on the host, or make one with \`ssh-keygen -t ed25519 -f ${path}\` and add ${path}.pub on the host with \`dokku ssh-keys:add dokku-mcp ${path}.pub\`.`,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new KeyUnusable(`${named} cannot be read by this process (permission denied)`, `Let the user running dokku-mcp read it (\`chmod 600 ${path}\` and own it), then start again.`);
    }
    if (code === 'EISDIR') throw new KeyUnusable(`${named} is a directory, not a key file`, 'Point ssh.key_path at the private key file itself (e.g. ~/.ssh/id_ed25519).');
    throw new KeyUnusable(`${named} cannot be read (${code ?? 'read error'})`, 'Check the file and its permissions, then start again.');
  }
  const passphrase = options.keyPassphrase;
  const parsed = ssh2.utils.parseKey(text, passphrase);
  if (parsed instanceof Error) {
    const why = parsed.message;
    if (/no passphrase given/i.test(why)) {
      throw new KeyUnusable(
        `${named} is encrypted and no passphrase was given (the environment variable ${passphraseVar} is not set)`,
        `Set ${passphraseVar} to the key's passphrase in the server's environment (ssh.key_passphrase_env names the variable), or use an ssh-agent holding the key (leave ssh.key_path unset).`,
      );
    }
    if (/passphrase/i.test(why)) {
      throw new KeyUnusable(
        `${named} could not be decrypted with the passphrase in ${passphraseVar} (wrong passphrase)`,
        `Set ${passphraseVar} to the right passphrase (check with \`ssh-keygen -y -f ${path}\`), then start again.`,
      );
    }
    throw new KeyUnusable(
      `${named} is not a private key this server can read`,
      'Give an OpenSSH, PEM or PuTTY private key file (e.g. one made by `ssh-keygen -t ed25519`).',
    );
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) {
    throw new KeyUnusable(
      `${named} is a public key`,
      `Point ssh.key_path at the private key${path.endsWith('.pub') ? ` (${path.slice(0, -4)})` : ''}; its .pub half is what \`dokku ssh-keys:add\` registers on the host.`,
    );
  }
  return { key: text, ...(passphrase ? { passphrase } : {}) };
}
