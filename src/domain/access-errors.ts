import { AppNotFound, DeploymentNotFound, LimitExceeded } from './domain-errors.js';
import { ServiceNotFound } from './service.js';

/**
 * An app the caller may not see. The client reads exactly what a missing app answers (same code, message and hint):
 * whether another tenant's app exists is not revealed. The subclass tells only the server's own records (audit,
 * metrics) that the access rule, not the host, refused.
 */
export class AppNotVisible extends AppNotFound {
  readonly denied = true;
}

/** A deployment of an app the caller may not see: answered exactly as a deployment that does not exist. */
export class DeploymentNotVisible extends DeploymentNotFound {
  readonly denied = true;
}

/** A service outside the caller's tenant: answered exactly as a service that does not exist. */
export class ServiceNotVisible extends ServiceNotFound {
  readonly denied = true;
}

/** The caller's request budget (auth.rate_limit) is spent; `retryAfterSeconds` is when a request is allowed again. */
export class RateLimited extends LimitExceeded {
  constructor(
    readonly retryAfterSeconds: number,
    limit: { readonly perMinute: number; readonly burst: number },
    per: 'token' | 'session',
  ) {
    super(
      `Rate limit reached: this ${per} may make ${limit.perMinute} requests a minute, at most ${limit.burst} at once (auth.rate_limit); this request was not run.`,
      `Retry in ${retryAfterSeconds} s; poll less often (get_build_logs every 1-2 s is plenty).`,
    );
  }
}

/** Whether an error was the access rule's refusal (for the audit's `denied`), whatever the client was told. */
export const isDenial = (error: unknown): boolean =>
  error instanceof AppNotVisible ||
  error instanceof DeploymentNotVisible ||
  error instanceof ServiceNotVisible ||
  error instanceof RateLimited ||
  (error as { code?: string } | undefined)?.code === 'ACCESS_DENIED';
