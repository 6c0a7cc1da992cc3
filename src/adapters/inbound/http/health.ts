import type { Express } from 'express';

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/** How long one answer of the Dokku host stands for every probe: probes cannot hammer the host. */
export const READINESS_CACHE_MS = 5_000;

/**
 * The host check, asked at most once per `ttlMs`: probes meanwhile share the last answer, or the one in flight.
 */
export class CachedReadiness {
  private last: { at: number; result: Readiness } | undefined;
  private pending: Promise<Readiness> | undefined;

  constructor(
    private readonly check: () => Promise<Readiness>,
    private readonly ttlMs = READINESS_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  current(): Promise<Readiness> {
    if (this.last && this.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.result);
    this.pending ??= this.check()
      // The check reports host problems as results; a throw is a bug, told in general terms (the log has it).
      .catch((): Readiness => ({ ready: false, reason: 'the readiness check failed unexpectedly; see the server log.' }))
      .then((result) => {
        this.last = { at: this.now(), result };
        this.pending = undefined;
        return result;
      });
    return this.pending;
  }
}

/**
 * GET /healthz: the process is alive (no Dokku call). GET /readyz: the Dokku host answered recently, else 503 with
 * the reason. Plain JSON for load balancers and orchestrators, before any authentication.
 */
export function mountHealth(app: Express, readiness: CachedReadiness): void {
  app.get('/healthz', (_req, res) => {
    res.status(200).set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const result = await readiness.current();
    res.set('Cache-Control', 'no-store');
    if (result.ready) res.status(200).json({ status: 'ready' });
    else res.status(503).json({ status: 'not ready', reason: result.reason });
  });
}
