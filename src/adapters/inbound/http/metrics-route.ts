import type { IncomingMessage } from 'node:http';
import { isDomainError } from '../../../domain/domain-errors.js';
import type { HttpRoute } from './http-app.js';
import { RPC, type Refuse } from './json-rpc-refusal.js';

export interface MetricsRouteOptions {
  /** ReadMetrics for the request's caller: the exposition, or AccessDenied without the admin scope. */
  readonly read: (request: IncomingMessage) => Promise<{ readonly contentType: string; readonly text: string }>;
  readonly refuse: Refuse;
}

/**
 * GET /metrics: the Prometheus text of the Metrics port. Behind the bearer middleware like every route (401 without a
 * valid token when tokens are configured); a token without the admin scope gets 403. With no tokens configured it is
 * open, on the loopback bind.
 */
export function metricsRoute({ read, refuse }: MetricsRouteOptions): HttpRoute {
  return {
    method: 'get',
    path: '/metrics',
    handle: async (req, res) => {
      try {
        const { contentType, text } = await read(req);
        res.status(200).set({ 'Content-Type': contentType, 'Cache-Control': 'no-store' }).send(text);
      } catch (error) {
        if (!isDomainError(error) || error.code !== 'ACCESS_DENIED') throw error; // the app's error answer: 500, logged
        refuse(res, 403, RPC.serverError, `Forbidden: ${error.message} ${error.hint}`);
      }
    },
  };
}
