import type { ClientChannel, PseudoTtyOptions } from 'ssh2';
import { HostUnreachable } from '../../../domain/domain-errors.js';
import { watchExit, type Opened } from './ssh-channel.js';
import type { Link } from './ssh-link.js';

/**
 * How a channel gets a pty, if at all. Closing a channel with a pty hangs it up: sshd closes the pty and the remote
 * process gets SIGHUP. Without one, OpenSSH keeps a forced command (every Dokku login) running until it exits by itself
 * or writes (SIGPIPE), and refuses "signal" requests for it: a silent, stuck command would live on.
 * - `terminal`: a plain pty (log followers): CRLF line ends, stderr merged into stdout.
 * - `raw`: no echo and no output processing, so the bytes are exactly what the remote wrote (LF stays LF); stderr is
 *   still merged into stdout (one tty), see runExec.
 */
export type PtyKind = false | 'terminal' | 'raw';
const PTY_OPTIONS: Record<'terminal' | 'raw', PseudoTtyOptions> = {
  terminal: { term: 'dumb' },
  raw: { term: 'dumb', modes: { ECHO: 0, OPOST: 0, ONLCR: 0 } },
};

export interface SessionRequest {
  readonly command: string;
  readonly pty: PtyKind;
  /** Epoch ms by which the channel must be open. */
  readonly deadline: number;
  /** The command's whole timeout, for the message. */
  readonly timeoutMs: number;
  readonly target: string;
  /** The hint of the timeout error. */
  readonly hint: string;
}

/**
 * Opens a session channel running `command`. Rejects with HostUnreachable when it is not open by the deadline; the
 * open may still be answered later, and `late` then receives the channel (to close) or undefined (it failed).
 * Rejects with ssh2's error when the open is refused (the command never started). The exit watch is attached in
 * ssh2's callback itself, before any event can be missed.
 */
export function openSession(
  link: Link,
  request: SessionRequest,
  late: (channel: ClientChannel | undefined) => void,
): Promise<Omit<Opened, 'abandon'>> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new HostUnreachable(request.target, `the command got no complete answer within ${request.timeoutMs} ms (no SSH channel)`, request.hint));
    }, Math.max(request.deadline - Date.now(), 1));
    const opened = (error: Error | undefined, channel: ClientChannel): void => {
      clearTimeout(timer);
      if (timedOut) return late(error ? undefined : channel);
      if (error) return reject(error);
      resolve({ channel, exitOf: watchExit(channel) });
    };
    try {
      link.client.exec(request.command, request.pty ? { pty: PTY_OPTIONS[request.pty] } : {}, opened);
    } catch (error) {
      clearTimeout(timer);
      reject(error as Error);
    }
  });
}
