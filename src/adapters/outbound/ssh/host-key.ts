import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { SshOptions } from './ssh-options.js';

/** A reason not to talk to this host; never retried automatically (a changed key is not a network hiccup). */
export class HostKeyRefused extends Error {
  constructor(
    message: string,
    /** The fix, when the message does not already say it. */
    readonly hint = 'Fix the host key settings, then start dokku-mcp again.',
  ) {
    super(message);
    this.name = 'HostKeyRefused';
  }
}

/** How to verify the host key: an ssh2 `hostVerifier`, the algorithms to offer, and why the last key was refused. */
export interface HostKeyPolicy {
  readonly verify: (key: Buffer) => boolean;
  /** Host key algorithms to negotiate so the server shows a key type we can check (known_hosts only). */
  readonly algorithms?: string[];
  readonly refusal: () => string | undefined;
  readonly verified: boolean;
}

export const fingerprintOf = (key: Buffer): string =>
  `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

const expandHome = (path: string): string => (path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path);

export function howToPin(host: string, port: number): string {
  return (
    `pin the host key: set ssh.host_key_fingerprint to the fingerprint printed by ` +
    `\`ssh-keyscan -p ${port} ${host} | ssh-keygen -lf -\` (the SHA256:... part), or set ssh.known_hosts to a ` +
    `known_hosts file that lists the host (\`ssh-keyscan -p ${port} ${host} >> FILE\`)`
  );
}

/** After a mismatch: do not retry; check the key on the host itself, and only then pin what it shows. */
export function howToRepin(host: string, port: number): string {
  return (
    'Do not retry: first check the key on the host itself (run there: `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`). ' +
    `Only if the host was really reinstalled or rekeyed, re-pin it: set ssh.host_key_fingerprint to the SHA256:... ` +
    `printed by \`ssh-keyscan -p ${port} ${host} | ssh-keygen -lf -\` (it must match the one on the host), then restart dokku-mcp.`
  );
}

/**
 * config/example.yaml ships `SHA256:AAA…A` as a placeholder. No real SHA-256 is 43 copies of one character, so a
 * pin like that was copied, not checked: say so instead of reporting a "mismatch" that looks like an attack.
 */
const isPlaceholder = (pinned: string): boolean => /^SHA256:(.)\1{42}$/.test(pinned);

/**
 * Builds the policy from the options. Throws HostKeyRefused when strict and nothing is pinned, or when the
 * known_hosts file does not list the host: connecting anyway would trust whoever answers.
 */
export function hostKeyPolicy(options: SshOptions, target: string): HostKeyPolicy {
  let refusal: string | undefined;
  const refuse = (why: string): false => {
    refusal = why;
    return false;
  };
  const mitm = 'refusing to connect: it may be an impostor (man-in-the-middle), or the host was reinstalled.';
  if (options.hostKeyFingerprint) {
    const pinned = /SHA256:[A-Za-z0-9+/]+/.exec(options.hostKeyFingerprint)?.[0];
    if (!pinned) throw new HostKeyRefused(`ssh.host_key_fingerprint must look like "SHA256:...": ${howToPin(options.host, options.port)}`);
    if (isPlaceholder(pinned)) {
      throw new HostKeyRefused(
        `ssh.host_key_fingerprint is still the placeholder of config/example.yaml (${pinned.slice(0, 12)}...), so the host ` +
          `key of ${target} cannot be verified`,
        `Pin the real key: run \`ssh-keyscan -p ${options.port} ${options.host} | ssh-keygen -lf -\`, check the SHA256:... it ` +
          'prints against the host\'s own (run there: `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`), and put it in ' +
          'ssh.host_key_fingerprint (or --ssh-host-key-fingerprint); then start dokku-mcp again.',
      );
    }
    return {
      verified: true,
      refusal: () => refusal,
      verify: (key) =>
        fingerprintOf(key) === pinned ||
        refuse(`the host key of ${target} (${fingerprintOf(key)}) does not match ssh.host_key_fingerprint (${pinned}); ${mitm}`),
    };
  }
  if (options.knownHosts) {
    const file = expandHome(options.knownHosts);
    const entries = knownHostEntries(file, options.host, options.port);
    if (entries.accepted.length === 0) {
      throw new HostKeyRefused(`${target} is not listed in the known_hosts file ${file}; ${howToPin(options.host, options.port)}`);
    }
    return {
      verified: true,
      refusal: () => refusal,
      algorithms: [...new Set(entries.accepted.flatMap((e) => ALGORITHMS[e.type] ?? []))],
      verify: (key) => {
        if (entries.revoked.some((k) => sameKey(k, key))) return refuse(`the host key of ${target} is marked @revoked in ${file}`);
        return (
          entries.accepted.some((e) => sameKey(e.key, key)) ||
          refuse(`the host key of ${target} (${fingerprintOf(key)}) does not match the one in ${file}; ${mitm}`)
        );
      },
    };
  }
  if (options.strictHostKey) {
    throw new HostKeyRefused(`the host key is not pinned, so the host cannot be verified; ${howToPin(options.host, options.port)}`);
  }
  return { verified: false, refusal: () => undefined, verify: () => true };
}

const ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

const sameKey = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

interface KnownKey {
  readonly type: string;
  readonly key: Buffer;
}

/** The keys known_hosts lists for host:port, as OpenSSH reads it: `[host]:port` unless the port is 22. */
export function knownHostEntries(file: string, host: string, port: number): { accepted: KnownKey[]; revoked: Buffer[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HostKeyRefused(`cannot read the known_hosts file ${file}: ${(error as Error).message}`);
  }
  const name = port === 22 ? host : `[${host}]:${port}`;
  const accepted: KnownKey[] = [];
  const revoked: Buffer[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) continue;
    const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
    const [hosts, type, blob] = fields;
    if (!hosts || !type || !blob || marker === '@cert-authority' || !hostsMatch(hosts, name)) continue;
    const key = Buffer.from(blob, 'base64');
    if (marker === '@revoked') revoked.push(key);
    else if (!marker) accepted.push({ type, key });
  }
  return { accepted, revoked };
}

function hostsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcard(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, written by `ssh-keygen -H` / HashKnownHosts. */
function hashedMatch(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return sameKey(expected, actual);
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
