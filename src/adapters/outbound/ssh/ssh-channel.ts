import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { HostUnreachable, LimitExceeded } from '../../../domain/domain-errors.js';
import type { Link } from './ssh-link.js';

/** The most a short command may print per stream; Dokku's reports are a few KB. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ExecOptions {
  readonly timeoutMs: number;
  /**
   * Sent, then EOF; the command then runs without a pty (a tty would mangle its input), so if it hangs past its
   * deadline it lives on until its next write. Without stdin the command runs under a raw pty and is hung up (SIGHUP)
   * when given up on; nothing is ever typed, so a command that prompts waits until its deadline and is then hung up.
   */
  readonly stdin?: string;
}

export interface ExecResult {
  readonly stdout: string;
  /** Under a pty (one stream), the lines Dokku marks as its warnings and errors (" !     "): see splitMerged. */
  readonly stderr: string;
  /** Under a pty: the one stream as it came, before splitMerged (e.g. a build log printed whole). */
  readonly merged?: string;
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
  /** A log follower: long-lived, and admitted only while a long-lived slot stays free for a deploy. */
  readonly follower?: true;
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
/** An open session channel, as the exec and stream runners use it. */
export interface Opened {
  readonly channel: ClientChannel;
  readonly exitOf: ExitWatch;
  /**
   * Gives up on the channel now: asks it to close, frees its slot at once and stops counting on it. sshd keeps a
   * forced command's channel until the remote process exits, so waiting for 'close' could take forever.
   */
  readonly abandon: () => void;
}

const lostReason = (link: Link): string =>
  link.closing ? 'the SSH connection was closed' : link.lost ? 'the SSH connection was lost' : 'the SSH channel closed without an exit status';

/** How long a closed stream may take to report 'close' before we stop waiting for it (a pty hang-up takes ms). */
export const CLOSE_GRACE_MS = 2_000;

export interface ExecDeadline {
  /** Epoch ms by which the call answers, whatever happens. */
  readonly deadline: number;
  /** For the message: the whole timeout the caller was given. */
  readonly timeoutMs: number;
  readonly hint: string;
}

/**
 * Runs a short command. Answers by the deadline whatever the channel does: on timeout (or too much output) the call
 * fails at once and the channel is abandoned (its slot freed; a remote that never exits cannot hold it).
 */
export function runExec(
  { channel, exitOf, abandon }: Opened,
  link: Link,
  target: string,
  options: Pick<ExecOptions, 'stdin'> & ExecDeadline & { readonly merged?: boolean },
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
      abandon();
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (settled) return;
      bytes += chunk.length;
      if (bytes > MAX_OUTPUT_BYTES) {
        fail(new LimitExceeded(`Dokku printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB for one command.`, 'Ask for less output.'));
      } else into.push(chunk);
    };
    const timer = setTimeout(
      () => fail(new HostUnreachable(target, `the command got no complete answer within ${options.timeoutMs} ms`, options.hint)),
      Math.max(options.deadline - Date.now(), 1),
    );
    channel.on('data', collect(out));
    channel.stderr.on('data', collect(err));
    channel.once('close', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const exit = exitOf();
      if (!exit) return reject(new HostUnreachable(target, `${lostReason(link)} while the command ran`));
      const stdout = Buffer.concat(out).toString('utf8');
      const streams = options.merged ? { ...splitMerged(stdout), merged: stdout } : { stdout, stderr: Buffer.concat(err).toString('utf8') };
      resolve({ ...streams, ...exit });
    });
    channel.end(options.stdin);
  });
}

/** Dokku's warnings and errors (dokku_log_warn, dokku_log_fail: stderr), " !     <text>", possibly coloured. */
const DOKKU_STDERR_LINE = /^(?:\x1b\[[0-9;]*m)*\s*!\s/;

/**
 * Under a pty stdout and stderr arrive as one stream. Dokku writes its own warnings and errors to stderr with the
 * " !     " prefix and nothing else does, so those lines are stderr again and the rest stays stdout, in order: the
 * parsers see what they saw without a pty, and a failure's message is found where it was. (Other programs' stderr,
 * e.g. docker's, stays in stdout; on a failure with no " !" line, the message is taken from stdout anyway.)
 */
export function splitMerged(text: string): { stdout: string; stderr: string } {
  if (!text.includes('!')) return { stdout: text, stderr: '' };
  let stdout = '';
  let stderr = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (DOKKU_STDERR_LINE.test(line)) stderr += line;
    else stdout += line;
  }
  return { stdout, stderr };
}

/**
 * Runs a long-lived command. `done` resolves on the remote's exit, a lost connection, the timeout (at once: the
 * channel is abandoned) or our close() (when the channel reports closed, or after CLOSE_GRACE_MS at the latest).
 */
export function runStream({ channel, exitOf, abandon }: Opened, link: Link, options: StreamOptions): StreamHandle {
  let ended = false;
  let resolveDone!: (end: StreamEnd) => void;
  const done = new Promise<StreamEnd>((resolve) => (resolveDone = resolve));
  const stdout = new StringDecoder('utf8');
  const stderr = new StringDecoder('utf8');
  let graceTimer: NodeJS.Timeout | undefined;
  const finish = (end: StreamEnd): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    clearTimeout(graceTimer);
    deliver(options.onStdout, stdout.end());
    deliver(options.onStderr ?? options.onStdout, stderr.end());
    resolveDone(end);
  };
  // A throwing callback must not take the connection down with it.
  const deliver = (fn: ((text: string) => void) | undefined, text: string): void => {
    if (!fn || text === '') return;
    try {
      fn(text);
    } catch {
      // The consumer's problem; the stream goes on.
    }
  };
  channel.on('data', (chunk: Buffer) => !ended && deliver(options.onStdout, stdout.write(chunk)));
  channel.stderr.on('data', (chunk: Buffer) => !ended && deliver(options.onStderr ?? options.onStdout, stderr.write(chunk)));
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          finish({ type: 'lost', reason: `timed out after ${options.timeoutMs} ms` });
          abandon();
        }, options.timeoutMs);
  let closedByUs = false;
  channel.once('close', () => {
    const exit = exitOf();
    finish(closedByUs ? { type: 'closed' } : exit ? { type: 'exit', ...exit } : { type: 'lost', reason: lostReason(link) });
  });
  // Without a pty nothing will ever be typed: EOF now, so a prompt fails fast. A pty keeps stdin open (EOF would
  // reach the remote as ^D).
  if (!options.pty) channel.end();
  return {
    done,
    close: () => {
      if (ended || graceTimer) return;
      // Reported as closed by us, unless it had already exited (then 'close' follows at once).
      closedByUs = !exitOf();
      channel.close();
      graceTimer = setTimeout(() => {
        finish({ type: 'closed' });
        abandon();
      }, CLOSE_GRACE_MS);
    },
  };
}
