import { bindRefusal, isLoopbackHost } from '../../../../src/adapters/inbound/http/bind-policy.js';
import { OriginPolicy } from '../../../../src/adapters/inbound/http/origin-policy.js';

describe('OriginPolicy (Host and Origin headers)', () => {
  let port = 8080;
  const policy = new OriginPolicy({ allowedHosts: ['mcp.example.com', 'Other.Example:8443'], allowedOrigins: ['https://App.example.com/'], port: () => port });

  it('accepts the loopback names on the bound port only, and the configured hosts (a bare name: any port)', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'LOCALHOST:8080', 'mcp.example.com', 'mcp.example.com:9', 'other.example:8443']) {
      expect({ host, ok: policy.hostAllowed(host) }).toEqual({ host, ok: true });
    }
    for (const host of [undefined, '', 'localhost', 'localhost:8081', 'evil.example:8080', 'other.example', 'other.example:80', '127.0.0.2:8080', 'mcp.example.com.evil']) {
      expect({ host, ok: policy.hostAllowed(host) }).toEqual({ host, ok: false });
    }
  });

  it('follows the port once it is known (--port 0)', () => {
    port = 41234;
    expect(policy.hostAllowed('localhost:41234')).toBe(true);
    expect(policy.hostAllowed('localhost:8080')).toBe(false);
    expect(policy.originAllowed('http://localhost:41234')).toBe(true);
    port = 8080;
  });

  it('accepts the loopback origins on the bound port and the configured ones, exactly', () => {
    for (const origin of ['http://localhost:8080', 'http://127.0.0.1:8080', 'http://[::1]:8080', 'https://app.example.com', 'https://APP.example.com/']) {
      expect({ origin, ok: policy.originAllowed(origin) }).toEqual({ origin, ok: true });
    }
    for (const origin of ['null', 'http://localhost:3000', 'https://localhost:8080', 'http://app.example.com', 'https://app.example.com:444', 'https://evil.example']) {
      expect({ origin, ok: policy.originAllowed(origin) }).toEqual({ origin, ok: false });
    }
  });
});

describe('bind policy', () => {
  it('knows the loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].filter(isLoopbackHost)).toHaveLength(5);
    expect(['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', '128.0.0.1'].filter(isLoopbackHost)).toEqual([]);
  });

  it('refuses a non-loopback bind, saying it needs tokens, unless tokens are configured', () => {
    const none = { tokensConfigured: false };
    expect(bindRefusal('127.0.0.1', none)).toBeUndefined();
    expect(bindRefusal('0.0.0.0', none)).toContain('needs access tokens');
    expect(bindRefusal('0.0.0.0', none)).toContain('Configure auth.tokens in a --config file');
    expect(bindRefusal('0.0.0.0', { tokensConfigured: true })).toBeUndefined();
    expect(bindRefusal('10.0.0.1', { tokensConfigured: true })).toBeUndefined();
  });
});
