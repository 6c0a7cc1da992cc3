import { DokkuCommandFailed, type DomainError } from '../../../domain/domain-errors.js';
import { fenceUntrusted } from './untrusted-fence.js';

type Redact = (text: string) => string | Promise<string>;

/** The host's own words an error carries (Dokku's message), fenced apart from ours when shown. */
const hostText = (error: DomainError): string | undefined =>
  error instanceof DokkuCommandFailed && error.dokkuMessage !== '' ? error.dokkuMessage : undefined;

/** The sentence of our own words: the message (without the host's part) ending in a full stop. */
function sentenceOf(error: DomainError): string {
  const message = (hostText(error) !== undefined ? `Dokku ${(error as DokkuCommandFailed).command} failed (exit ${(error as DokkuCommandFailed).exitCode})` : error.message).trim();
  return /[.!?)]$/.test(message) ? message : `${message}.`;
}

const fencedHost = (text: string) => fenceUntrusted(text, "Dokku's message (output from the host)");

/**
 * The client-facing text of a domain error: what went wrong, as one sentence, then what to do next (each error's
 * `hint` names the fix or the tool to call). Dokku's own message, when the error carries one, comes fenced between
 * the two as untrusted text (untrusted-fence.ts).
 */
export function describeDomainError(error: DomainError): string {
  const host = hostText(error);
  return host === undefined ? `${sentenceOf(error)} ${error.hint}` : `${sentenceOf(error)}\n${fencedHost(host)}\n${error.hint}`;
}

/**
 * describeDomainError, each part passed through `redact` before it is put together, so that the fence's markers are
 * never touched by redaction and a secret in Dokku's message is gone before it is fenced.
 */
export async function describeRedacted(error: DomainError, redact: Redact): Promise<string> {
  const host = hostText(error);
  if (host === undefined) return redact(describeDomainError(error));
  return `${await redact(sentenceOf(error))}\n${fencedHost(await redact(host))}\n${error.hint}`;
}
