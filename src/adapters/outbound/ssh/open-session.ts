import type { ClientChannel } from 'ssh2';
import { HostUnreachable } from '../../../domain/domain-errors.js';
import { watchExit, type ExitWatch } from './ssh-channel.js';
import type { Link } from './ssh-link.js';

export interface Opened {
  readonly channel: ClientChannel;
  readonly exitOf: ExitWatch;
}

export interface SessionRequest {
  readonly command: string;
  readonly pty: boolean;
  /** Epoch ms by which the channel must be open. */
  readonly deadline: number;
  /** The command's whole timeout, for the message. */
  readonly timeoutMs: number;
  readonly target: string;
}

/**
 * Opens a session channel running `command`. The slot (`release`) is tied to the channel's life: released when it
 * closes, or, when the open times out, once the late answer arrives, so sshd never sees more than maxChannels sessions.
 * Rejects with HostUnreachable on timeout (slot still held until the open settles), or with ssh2's error (slot kept
 * for the caller, who may retry). `onOpen` runs synchronously in ssh2's callback, before any event can be missed.
 */
export function openSession(
  link: Link,
  request: SessionRequest,
  release: () => void,
  onOpen: (channel: ClientChannel) => void,
): Promise<Opened> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new HostUnreachable(request.target, `the command got no complete answer within ${request.timeoutMs} ms (no SSH channel)`));
    }, Math.max(request.deadline - Date.now(), 1));
    const opened = (error: Error | undefined, channel: ClientChannel): void => {
      clearTimeout(timer);
      if (timedOut) {
        if (error) release();
        else {
          channel.once('close', release);
          channel.close();
        }
        return;
      }
      if (error) return reject(error);
      const exitOf = watchExit(channel);
      channel.once('close', release);
      onOpen(channel);
      resolve({ channel, exitOf });
    };
    try {
      link.client.exec(request.command, request.pty ? { pty: { term: 'dumb' } } : {}, opened);
    } catch (error) {
      clearTimeout(timer);
      reject(error as Error);
    }
  });
}
