import { homedir } from 'node:os';
import { NodeSSH, type Config } from 'node-ssh';
import type { Client } from 'ssh2';
import type { Logger } from '../../../ports/logger.port.js';
import { HostKeyRefused, hostKeyPolicy } from './host-key.js';
import { sshTarget, type SshOptions } from './ssh-options.js';

/** One established SSH connection. `lost` turns true when its socket closes, whoever closed it. */
export interface Link {
  readonly client: Client;
  readonly ssh: NodeSSH;
  readonly generation: number;
  lost: boolean;
  /** Set when we end it on purpose: its errors are expected then, not worth a warning. */
  closing: boolean;
  /** Channels of ours open on it (they hold a slot). */
  live: number;
  /**
   * Channels (or channel opens) we gave up on that sshd may still count as sessions: a timed-out command whose remote
   * process has not exited. They hold no slot of ours, but they use up the connection's MaxSessions.
   */
  wedged: number;
  /** No new channel goes here any more (too many wedged ones); closed once its live channels end. */
  retired: boolean;
}

/** A failure that retrying cannot fix: a refused host key, a refused login, a key file that cannot be read. */
export class NotRetryable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotRetryable';
  }
}

const expandHome = (path: string): string => (path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path);

/** Opens one connection, or fails within `timeoutMs`. `onLost` runs once when the connection later drops. */
export async function openLink(
  options: SshOptions,
  generation: number,
  timeoutMs: number,
  logger: Logger,
  onLost: (link: Link) => void,
): Promise<Link> {
  let policy;
  try {
    policy = hostKeyPolicy(options, sshTarget(options));
  } catch (error) {
    throw error instanceof HostKeyRefused ? new NotRetryable(error.message) : error;
  }
  const config: Config = {
    host: options.host,
    port: options.port,
    username: options.user,
    hostVerifier: policy.verify,
    readyTimeout: timeoutMs,
    keepaliveInterval: options.keepaliveIntervalMs,
    keepaliveCountMax: 3,
    ...(policy.algorithms?.length ? { algorithms: { serverHostKey: policy.algorithms as never } } : {}),
  };
  if (options.keyPath) {
    config.privateKeyPath = expandHome(options.keyPath);
    if (options.keyPassphrase) config.passphrase = options.keyPassphrase;
  } else if (process.env.SSH_AUTH_SOCK) {
    config.agent = process.env.SSH_AUTH_SOCK;
  } else {
    throw new NotRetryable('no SSH key: set ssh.key_path, or run an ssh-agent (SSH_AUTH_SOCK) holding the key');
  }

  const ssh = new NodeSSH();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ssh.connect(config),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    ssh.dispose();
    const refusal = policy.refusal();
    if (refusal) throw new NotRetryable(refusal);
    throw classify(error, options);
  } finally {
    clearTimeout(timer);
  }
  const client = ssh.connection!;
  // Many small request/response exchanges: with Nagle on, each command waits ~40 ms for delayed ACKs.
  client.setNoDelay(true);
  const link: Link = { client, ssh, generation, lost: false, closing: false, live: 0, wedged: 0, retired: false };
  // node-ssh removes its own 'error' listener once connected: without ours, a socket reset would be an uncaught
  // 'error' event and crash the process. The 'close' that follows every error is where the loss is handled.
  client.on('error', (error: Error & { level?: string }) => {
    if (link.closing) return;
    logger.warn('SSH connection error', { target: sshTarget(options), error: error.message, level: error.level });
  });
  client.on('close', () => {
    if (link.lost) return;
    link.lost = true;
    onLost(link);
  });
  return link;
}

/** Turns a connect failure into a short reason (no stack); configuration problems become NotRetryable. */
function classify(error: unknown, options: SshOptions): Error {
  const err = error as Error & { code?: string; level?: string };
  const message = String(err?.message ?? error);
  if (err?.level === 'client-authentication') {
    return new NotRetryable(
      `the host refused the SSH login of user "${options.user}" (authentication failed); check ssh.key_path or the ` +
        'ssh-agent, and that the public key was added on the host with `dokku ssh-keys:add`',
    );
  }
  if (/privateKey|passphrase|private key/i.test(message)) return new NotRetryable(`cannot use the SSH key: ${message}`);
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is sshd running on that port?)',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'unknown host name',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'no route to host',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (err?.code && reasons[err.code]) return new Error(reasons[err.code]);
  if (/handshake/i.test(message)) return new Error('timed out during the SSH handshake');
  return new Error(message);
}
