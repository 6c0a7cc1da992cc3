import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { HostUnreachable, LimitExceeded } from '../../../domain/domain-errors.js';
import type { Link } from './ssh-link.js';

/** The most a short command may print per stream; Dokku's reports are a few KB. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ExecOptions {
  readonly timeoutMs: number;
  /** Sent, then EOF. Without it stdin is closed at once, so a prompting command fails instead of hanging. */
  readonly stdin?: string;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The remote exit status; null when the remote was killed by a signal. */
  readonly code: number | null;
  readonly signal?: string;
}

export interface StreamOptions {
  readonly onStdout: (text: string) => void;
  readonly onStderr?: (text: string) => void;
  /** With a pty, closing the channel hangs up the remote (SIGHUP); stderr merges into stdout and lines end in CRLF. */
  readonly pty?: boolean;
  /** Close the channel and report `lost` after this long; unset = no limit. */
  readonly timeoutMs?: number;
  readonly longLived?: true;
}

/** How a stream ended: the remote's exit, a lost connection or timeout (outcome unknown), or our own close(). */
export type StreamEnd =
  | { readonly type: 'exit'; readonly code: number | null; readonly signal?: string }
  | { readonly type: 'lost'; readonly reason: string }
  | { readonly type: 'closed' };

export interface StreamHandle {
  /** Never rejects. */
  readonly done: Promise<StreamEnd>;
  /** Closes the channel; `done` then resolves ({ type: 'closed' } unless it had already ended). Idempotent. */
  close(): void;
}

interface Exit {
  code: number | null;
  signal?: string;
}
/** Returns the channel's exit status once known. */
export type ExitWatch = () => Exit | undefined;

/**
 * Must be called in the channel-open callback itself: 'exit' is a plain event, and when the whole answer arrives in one
 * TCP read, ssh2 emits it in the same tick (data waits in the stream buffer, the exit status would be lost).
 */
export function watchExit(channel: ClientChannel): ExitWatch {
  let exit: Exit | undefined;
  channel.on('exit', (code: number | null, signal?: string) => {
    exit = { code: code ?? null, ...(signal ? { signal: signal.replace(/^SIG/, '') } : {}) };
  });
  return () => exit;
}
const lostReason = (link: Link): string =>
  link.closing ? 'the SSH connection was closed' : link.lost ? 'the SSH connection was lost' : 'the SSH channel closed without an exit status';

/** Stops the remote if sshd honours signal requests, then closes the channel. */
function kill(channel: ClientChannel): void {
  try {
    channel.signal('TERM');
  } catch {
    // The channel may already be closing.
  }
  channel.close();
}

export function runExec(
  { channel, exitOf }: { channel: ClientChannel; exitOf: ExitWatch },
  link: Link,
  target: string,
  options: ExecOptions,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let failure: Error | undefined;
    const fail = (error: Error): void => {
      failure ??= error;
      kill(channel);
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        fail(new LimitExceeded(`Dokku printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB for one command.`, 'Ask for less output.'));
      } else if (!failure) into.push(chunk);
    };
    const timer = setTimeout(
      () => fail(new HostUnreachable(target, `the command got no complete answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    channel.on('data', collect(out));
    channel.stderr.on('data', collect(err));
    channel.once('close', () => {
      clearTimeout(timer);
      const exit = exitOf();
      if (failure) return reject(failure);
      if (!exit) return reject(new HostUnreachable(target, `${lostReason(link)} while the command ran`));
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ...exit });
    });
    channel.end(options.stdin);
  });
}

export function runStream(
  { channel, exitOf }: { channel: ClientChannel; exitOf: ExitWatch },
  link: Link,
  options: StreamOptions,
): StreamHandle {
  let override: StreamEnd | undefined;
  let resolveDone!: (end: StreamEnd) => void;
  const done = new Promise<StreamEnd>((resolve) => (resolveDone = resolve));
  // A throwing callback must not take the connection down with it.
  const deliver = (fn: ((text: string) => void) | undefined, text: string): void => {
    if (!fn || text === '') return;
    try {
      fn(text);
    } catch {
      // The consumer's problem; the stream goes on.
    }
  };
  const stdout = new StringDecoder('utf8');
  const stderr = new StringDecoder('utf8');
  channel.on('data', (chunk: Buffer) => deliver(options.onStdout, stdout.write(chunk)));
  channel.stderr.on('data', (chunk: Buffer) => deliver(options.onStderr ?? options.onStdout, stderr.write(chunk)));
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          override ??= { type: 'lost', reason: `timed out after ${options.timeoutMs} ms` };
          kill(channel);
        }, options.timeoutMs);
  channel.once('close', () => {
    clearTimeout(timer);
    deliver(options.onStdout, stdout.end());
    deliver(options.onStderr ?? options.onStdout, stderr.end());
    const exit = exitOf();
    resolveDone(override ?? (exit ? { type: 'exit', ...exit } : { type: 'lost', reason: lostReason(link) }));
  });
  // Without a pty nothing will ever be typed: EOF now, so a prompt fails fast. A pty keeps stdin open (EOF would
  // reach the remote as ^D).
  if (!options.pty) channel.end();
  return {
    done,
    close: () => {
      if (!exitOf()) override ??= { type: 'closed' };
      channel.close();
    },
  };
}
