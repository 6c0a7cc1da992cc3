import type { DomainError } from '../../../domain/domain-errors.js';

/**
 * The client-facing text of a domain error: what went wrong, then what to do next (each error's `hint` names the
 * fix or the tool to call). Every code is listed so that a new code fails to compile here until someone decides how
 * clients should read it.
 */
export function describeDomainError(error: DomainError): string {
  switch (error.code) {
    case 'INVALID_ARGUMENT':
    case 'APP_NOT_FOUND':
    case 'APP_ALREADY_EXISTS':
    case 'NOT_DEPLOYED':
    case 'DEPLOYMENT_NOT_FOUND':
    case 'CONFLICT':
    case 'ACCESS_DENIED':
    case 'LIMIT_EXCEEDED':
    case 'HOST_UNREACHABLE':
    case 'DOKKU_COMMAND_FAILED':
    case 'UNSUPPORTED':
    case 'CONFIRMATION_REQUIRED':
      return `${error.message} ${error.hint}`;
    default:
      return unknownCode(error.code);
  }
}

function unknownCode(code: never): string {
  return `Unexpected error (${String(code)}).`;
}
