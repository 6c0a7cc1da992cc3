import { AccessDenied } from '../../../../domain/domain-errors.js';
import type { McpServerOptions } from '../mcp-options.js';

/**
 * A read-only server is one the operator trusts to show state, not secrets: `reveal: true` is a change of exposure, so
 * it is refused there whatever the caller's scopes. `shows` says what is shown instead, `fix` what to do.
 */
export function refuseRevealWhenReadOnly(options: Pick<McpServerOptions, 'readOnly'>, reveal: boolean | undefined, shows: string, fix: string): void {
  if (reveal === true && options.readOnly) {
    throw new AccessDenied(`reveal: true is refused: this server is in read-only mode (security.read_only), which ${shows}`, fix);
  }
}
