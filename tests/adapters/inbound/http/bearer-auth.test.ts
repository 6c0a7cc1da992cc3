import { bearerAuth } from '../../../../src/adapters/inbound/http/bearer-auth.js';
import type { HttpRoute } from '../../../../src/adapters/inbound/http/http-app.js';
import { jsonRpcRefusal } from '../../../../src/adapters/inbound/http/json-rpc-refusal.js';
import { callerForRequest } from '../../../../src/adapters/inbound/http/request-caller.js';
import { serveHttp, type HttpHandle } from '../../../../src/adapters/inbound/http/serve-http.js';
import { sha256, Sha256TokenMatcher } from '../../../../src/adapters/outbound/system/sha256-token-matcher.adapter.js';
import { AuthenticateCaller } from '../../../../src/application/access/authenticate-caller.use-case.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';
import { RecordingLogger } from '../../../support/recording-logger.js';

/**
 * The bearer middleware in the real HTTP app, before routes it knows nothing about: every route is authenticated the
 * same way, /healthz is not, and a route sees the caller of the token its request carried.
 */
const TOKEN = 'shop-bot-token-0123456789abcdef';
const sanitizer = new Sanitizer([]);
const refuse = jsonRpcRefusal((text) => sanitizer.redact(text));

/** A route that answers with the caller its request acts for. */
const whoAmI = (path: string): HttpRoute => ({
  method: 'get',
  path,
  handle: (req, res) => void res.json(callerForRequest(req, 's-1', 'http')),
});

async function serve(options: { tokens: boolean; authenticate?: boolean }): Promise<HttpHandle> {
  const authenticate = new AuthenticateCaller(
    new Sha256TokenMatcher(options.tokens ? [{ digest: sha256(TOKEN), grant: { id: 'shop-bot', tenant: 'shop', scopes: ['write'] } }] : []),
  );
  return serveHttp({
    host: '127.0.0.1', port: 0, portGiven: true, allowedHosts: [], allowedOrigins: [], maxBodyBytes: 1024,
    routes: [whoAmI('/mcp'), whoAmI('/apps/:name/logs/stream')],
    beforeRoutes: options.authenticate === false ? [] : [bearerAuth({ authenticate: (authorization) => authenticate.execute({ authorization }), required: authenticate.required, refuse })],
    readiness: async () => ({ ready: true }),
    refuse,
    logger: new RecordingLogger(),
    closeSessions: async () => undefined,
  });
}

describe('bearer authentication before every route', () => {
  let http: HttpHandle;
  const base = () => http.url.replace(/\/mcp$/, '');
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base()}${path}`, { headers });
  afterEach(() => http.close());

  test('any route, a future one too, needs the token; health does not; the route sees the token\'s caller', async () => {
    http = await serve({ tokens: true });
    for (const path of ['/mcp', '/apps/shop-web/logs/stream', '/no-such-route']) {
      const refused = await get(path);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="dokku-mcp"');
    }
    expect((await get('/healthz')).status).toBe(200);
    const answer = await get('/apps/shop-web/logs/stream', { Authorization: `Bearer ${TOKEN}` });
    expect(await answer.json()).toEqual({ transport: 'http', sessionId: 's-1', tokenId: 'shop-bot', tenant: 'shop', scopes: ['read', 'write'] });
    const wrong = await get('/mcp', { Authorization: 'Bearer nope' });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="dokku-mcp", error="invalid_token", error_description="the token is not valid"');
    expect(await wrong.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringMatching(/^Unauthorized\. The bearer token is not valid for this server;/) } });
  });

  test.each(['access_token', 'token', 'api_key'])('a token in the query string (%s) is refused, even a right one beside a right header', async (name) => {
    http = await serve({ tokens: true });
    const refused = await get(`/mcp?${name}=${TOKEN}`, { Authorization: `Bearer ${TOKEN}` });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    const body = await refused.text();
    expect(body).toContain(`the \\"${name}\\" query parameter) is not accepted`);
    expect(body).not.toContain(TOKEN);
  });

  test('with no tokens configured nothing is authenticated (as before tokens existed): every request is the open caller', async () => {
    http = await serve({ tokens: false });
    const answer = await get('/mcp?token=whatever');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ transport: 'http', sessionId: 's-1', tokenId: null, tenant: null, scopes: ['read', 'write', 'admin'] });
  });

  test('a route reached without the middleware fails closed (500), never serving the request as somebody', async () => {
    http = await serve({ tokens: false, authenticate: false });
    const answer = await get('/mcp');
    expect(answer.status).toBe(500);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/^Internal error/);
  });
});
