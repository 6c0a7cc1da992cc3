import type { DomainError } from '../../../domain/domain-errors.js';

/**
 * The client-facing text of a domain error: what went wrong, as one sentence, then what to do next (each error's
 * `hint` names the fix or the tool to call).
 */
export function describeDomainError(error: DomainError): string {
  const message = error.message.trim();
  const sentence = /[.!?)]$/.test(message) ? message : `${message}.`;
  return `${sentence} ${error.hint}`;
}
