import { inject, injectable } from 'inversify';
import { DomainError, type HostUnreachable } from '../../domain/domain-errors.js';
import { DokkuServer, type HostCheckReport } from '../../ports/dokku-server.port.js';

export type CheckHostError = HostUnreachable;

/** The start-up check's outcome: never throws for a host problem, so start-up and `--check` can report it and go on. */
export type HostCheckOutcome = { readonly ok: true; readonly report: HostCheckReport } | { readonly ok: false; readonly error: DomainError };

/** Checks that the configured Dokku host can be used (key, pin, host key, login, `dokku version`). */
@injectable()
export class CheckHost {
  constructor(@inject(DokkuServer) private readonly server: DokkuServer) {}

  async execute(): Promise<HostCheckOutcome> {
    try {
      return { ok: true, report: await this.server.check() };
    } catch (error) {
      // A domain error is the host's answer (unreachable, refused, not Dokku); anything else is a bug: let it surface.
      if (error instanceof DomainError) return { ok: false, error };
      throw error;
    }
  }
}
