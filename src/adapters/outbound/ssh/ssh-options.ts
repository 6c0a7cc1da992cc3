/** How to reach and talk to the Dokku host over SSH (mirrors the `ssh.*` config keys). */
export interface SshOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Private key file (a leading `~/` is expanded). Unset: the SSH agent at SSH_AUTH_SOCK. */
  readonly keyPath?: string;
  readonly keyPassphrase?: string;
  /** The environment variable the passphrase comes from (ssh.key_passphrase_env), to name it in errors. */
  readonly keyPassphraseEnv?: string;
  /** A known_hosts file listing `[host]:port` (or `host` for port 22), plain or hashed (`|1|`). */
  readonly knownHosts?: string;
  /** The pinned host key, `SHA256:<base64 without padding>` as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint?: string;
  /** false = accept any host key (the caller should warn). Without a pin and with true, connecting is refused. */
  readonly strictHostKey: boolean;
  /** Concurrent channels on the one connection; keep it below sshd's MaxSessions (10 by default). */
  readonly maxChannels: number;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly deployTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
}

export const SSH_DEFAULTS = {
  port: 22,
  user: 'dokku',
  strictHostKey: true,
  maxChannels: 8,
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 30_000,
  deployTimeoutMs: 30 * 60_000,
  keepaliveIntervalMs: 15_000,
} as const;

/** `host:port`, the way errors name the host. IPv6 literals get brackets. */
export const sshTarget = (options: Pick<SshOptions, 'host' | 'port'>): string =>
  options.host.includes(':') ? `[${options.host}]:${options.port}` : `${options.host}:${options.port}`;
