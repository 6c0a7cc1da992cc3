import net from 'node:net';
import { NodeSSH, type Config } from 'node-ssh';
import type { Client } from 'ssh2';
import type { Logger } from '../../../ports/logger.port.js';
import { HostKeyRefused, hostKeyPolicy, howToRepin } from './host-key.js';
import { KeyUnusable, loadPrivateKey } from './ssh-key.js';
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

/**
 * A failure that retrying now cannot fix: a refused host key, a refused login, a key file that cannot be used.
 * `hint` is the fix; `permanent` (a host key that does not match its pin) means never again in this process: only a
 * change of configuration (and a restart) can make that host trustworthy.
 */
export class NotRetryable extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'NotRetryable';
  }
}

/** A failure worth another try later (the network, a busy host); `hint` says what to check meanwhile. */
export class Transient extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'Transient';
  }
}

const UP_AND_RETRY = 'Check that the Dokku host is up and reachable over SSH, then try again.';

/** Opens one connection, or fails within `timeoutMs` with NotRetryable or Transient. `onLost` runs once when it later drops. */
export async function openLink(
  options: SshOptions,
  generation: number,
  timeoutMs: number,
  logger: Logger,
  onLost: (link: Link) => void,
): Promise<Link> {
  const target = sshTarget(options);
  // The key first, then the pin, then the network: each problem is reported as itself, the cheapest first.
  const auth: Pick<Config, 'privateKey' | 'passphrase' | 'agent'> = {};
  if (options.keyPath) {
    try {
      const loaded = loadPrivateKey(options);
      auth.privateKey = loaded.key;
      if (loaded.passphrase) auth.passphrase = loaded.passphrase;
    } catch (error) {
      if (error instanceof KeyUnusable) throw new NotRetryable(`${error.message}, so dokku-mcp cannot log in to ${target}`, error.hint);
      throw error;
    }
  } else if (process.env.SSH_AUTH_SOCK) {
    auth.agent = process.env.SSH_AUTH_SOCK;
  } else {
    throw new NotRetryable(
      `no SSH key for ${options.user}@${target}: ssh.key_path is not set and no ssh-agent runs (SSH_AUTH_SOCK is not set)`,
      'Set ssh.key_path (--ssh-key) to a private key registered on the host, or run an ssh-agent (SSH_AUTH_SOCK) holding the key.',
    );
  }

  let policy;
  try {
    policy = hostKeyPolicy(options, target);
  } catch (error) {
    if (error instanceof HostKeyRefused) throw new NotRetryable(error.message, error.hint);
    throw error;
  }
  const config: Config = {
    username: options.user,
    hostVerifier: policy.verify,
    readyTimeout: timeoutMs,
    keepaliveInterval: options.keepaliveIntervalMs,
    keepaliveCountMax: 3,
    ...(policy.algorithms?.length ? { algorithms: { serverHostKey: policy.algorithms as never } } : {}),
    ...auth,
  };
  const deadline = Date.now() + timeoutMs;
  // Our own TCP socket, so a host that accepts the connection but never speaks SSH can be told from one that is down.
  const socket = await openSocket(options.host, options.port, timeoutMs, target);
  config.sock = socket;
  const ssh = new NodeSSH();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ssh.connect(config),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'DOKKU_MCP_TIMEOUT' })), Math.max(deadline - Date.now(), 1));
      }),
    ]);
  } catch (error) {
    ssh.dispose();
    socket.destroy();
    const refusal = policy.refusal();
    if (refusal) throw new NotRetryable(refusal, howToRepin(options.host, options.port), true);
    throw classify(error, options, timeoutMs, logger);
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
    logger.warn('SSH connection error', { target, error: error.message, level: error.level });
  });
  client.on('close', () => {
    if (link.lost) return;
    link.lost = true;
    onLost(link);
  });
  return link;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens on that port (is sshd running there, and is ssh.port right?)',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'unknown host name (check ssh.host)',
  EAI_AGAIN: 'the host name lookup failed (DNS)',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
};

/** The TCP connection, or Transient naming why there is none (within `timeoutMs`). */
function openSocket(host: string, port: number, timeoutMs: number, target: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Transient(`no TCP connection within ${timeoutMs} ms (ssh.connect_timeout_ms): the host does not answer on that port (down, firewalled, or a wrong ssh.host / ssh.port)`, UP_AND_RETRY));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const reason = NETWORK_REASONS[error.code ?? ''] ?? `the TCP connection to ${target} failed (${error.code ?? 'network error'})`;
      reject(new Transient(reason, UP_AND_RETRY));
    });
  });
}

/** Turns a failure after TCP connected into a reason in plain words; library messages go to the log only. */
function classify(error: unknown, options: SshOptions, timeoutMs: number, logger: Logger): Error {
  const err = error as Error & { code?: string; level?: string };
  const message = String(err?.message ?? error);
  const key = options.keyPath ? `the key ${options.keyPath}` : 'the keys in the ssh-agent';
  if (err?.level === 'client-authentication') {
    return new NotRetryable(
      `the host refused the SSH login of user "${options.user}" with ${key} (authentication failed)`,
      `Add the public key on the host with \`dokku ssh-keys:add dokku-mcp ${options.keyPath ? `${options.keyPath}.pub` : 'KEY.pub'}\` (as root there), ` +
        'or set ssh.user / ssh.key_path to a user and key the host accepts; the next call tries again.',
    );
  }
  if (err?.code === 'DOKKU_MCP_TIMEOUT' || /handshake/i.test(message)) {
    return new Transient(
      `the host accepted the TCP connection but did not complete the SSH handshake within ${timeoutMs} ms (ssh.connect_timeout_ms): is ssh.port the SSH port, and is sshd overloaded?`,
      'Check ssh.host and ssh.port point at sshd (`ssh -p PORT dokku@HOST version` from this machine), then try again.',
    );
  }
  if (/No response from server/.test(message)) {
    return new Transient(
      'the host closed the connection before the SSH login completed (is ssh.port the SSH port? does sshd there accept this client?)',
      UP_AND_RETRY,
    );
  }
  if (err?.code && NETWORK_REASONS[err.code]) return new Transient(NETWORK_REASONS[err.code]!, UP_AND_RETRY);
  logger.warn('SSH connect failed', { target: sshTarget(options), error: message, level: err?.level });
  return new Transient(
    `the SSH connection failed during ${err?.level === 'protocol' ? 'the protocol exchange' : 'the handshake'} (the server log has the details)`,
    UP_AND_RETRY,
  );
}
