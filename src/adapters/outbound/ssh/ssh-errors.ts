import {
  AppAlreadyExists,
  AppNotFound,
  Conflict,
  DokkuCommandFailed,
  HostUnreachable,
  NotDeployed,
  type DomainError,
} from '../../../domain/domain-errors.js';
import { stripAnsi } from '../../../domain/log-line.js';
import type { Sanitizer } from '../../../domain/sanitizer.js';
import type { ExecResult } from './ssh-channel.js';

/** Dokku's exit status for "App X does not exist" (AppDoesNotExist / verify_app_name). */
export const EXIT_APP_DOES_NOT_EXIST = 20;
/** What the ssh client reports when the connection itself failed. */
const EXIT_SSH_FAILURE = 255;
const MAX_MESSAGE = 2000;

/** Dokku's own message: stderr (else stdout), without ANSI colour and the " !     " prefix of its warn/fail lines. */
export function dokkuMessage(result: Pick<ExecResult, 'stdout' | 'stderr'>): string {
  const text = result.stderr.trim() !== '' ? result.stderr : result.stdout;
  const lines = stripAnsi(text)
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*!\s+/, '').trim())
    .filter((line) => line !== '');
  const message = lines.join('\n');
  return message.length > MAX_MESSAGE ? `…${message.slice(-MAX_MESSAGE)}` : message;
}

export interface FailureContext {
  /** The subcommand, e.g. "apps:create" (never the values: they may be secret). */
  readonly command: string;
  /** The app the command was about, if any. */
  readonly app?: string;
  /** host:port, for HostUnreachable. */
  readonly target: string;
  readonly sanitizer: Sanitizer;
}

/** Maps a non-zero exit of a Dokku command to the domain error that names it. */
export function dokkuFailure(result: ExecResult, context: FailureContext): DomainError {
  const message = dokkuMessage(result);
  const code = result.code;
  if (code === EXIT_SSH_FAILURE) return new HostUnreachable(context.target, 'the SSH command failed (exit 255)');
  const named = /App (\S+) does not exist/.exec(message)?.[1];
  if (code === EXIT_APP_DOES_NOT_EXIST || named || (context.app && /does not exist/.test(message))) {
    return new AppNotFound(context.app ?? named ?? 'unknown');
  }
  if (/has not been deployed/.test(message)) return new NotDeployed(context.app ?? /App (\S+) has not/.exec(message)?.[1] ?? 'unknown');
  if (/Name is already taken/.test(message)) return new AppAlreadyExists(context.app ?? 'unknown');
  if (/deploy lock/.test(message)) {
    return new Conflict(
      `App "${context.app ?? 'unknown'}" has a deploy lock in place: another deploy is running on the host.`,
      'Wait for the running deploy to finish (or cancel it), then try again.',
    );
  }
  const status = code ?? -1;
  const detail = code === null && result.signal ? `killed by signal ${result.signal}${message ? `: ${message}` : ''}` : message;
  return new DokkuCommandFailed(context.command, status, context.sanitizer.redact(detail));
}
