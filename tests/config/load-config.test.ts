import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type AppConfig } from '../../src/config/load-config.js';

let dir: string;
let stdoutWrite: jest.SpiedFunction<typeof process.stdout.write>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-config-'));
  stdoutWrite = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  // stdout is the MCP protocol in stdio mode: loading config, even failing, must never write there.
  expect(stdoutWrite).not.toHaveBeenCalled();
  stdoutWrite.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function run(argv: string[], env: NodeJS.ProcessEnv = {}): AppConfig {
  const result = loadConfig({ argv, env });
  if (result.kind !== 'run') throw new Error(`expected a run result, got ${result.kind}`);
  return result.config;
}

function failure(argv: string[], env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfig({ argv, env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const FINGERPRINT = 'SHA256:' + 'Ab3+/'.repeat(8) + 'xyz';

describe('loadConfig', () => {
  it('gives the documented defaults, reading the shipped config/default.yaml', () => {
    const config = run(['--sandbox']);
    expect(config.logs).toEqual({
      runtime: {
        defaultLines: 100, maxLines: 1000, streamBufferSize: 1000,
        streamLingerMs: 5000, maxStreams: 4, maxStreamsPerTenant: 100, maxStreamsPerSession: 10, sseHeartbeatSeconds: 15,
        hostChangePollSeconds: 5,
      },
      build: { maxSizeMb: 10, retentionMinutes: 5, maxDeployments: 200 },
    });
    expect(config.ssh).toMatchObject({
      host: undefined, port: 22, user: 'dokku', keyPath: undefined, keyPassphrase: undefined,
      hostKeyFingerprint: undefined, strictHostKey: true, maxChannels: 8, connectTimeoutMs: 10000,
      commandTimeoutMs: 30000, deployTimeoutMs: 1800000, keepaliveIntervalMs: 15000,
    });
    expect(config.dokku).toEqual({ sandbox: true });
    expect(config.transport).toEqual({
      type: 'stdio', host: '127.0.0.1', port: 8080, portGiven: false, allowedHosts: [], allowedOrigins: [],
      maxSessions: 100, sessionIdleMinutes: 30, maxBodyKb: 1024, eventStore: { maxEventsPerSession: 1000, maxEvents: 20000 },
    });
    expect(config.security).toEqual({ requireElicitation: false, readOnly: false });
    expect(config.log).toEqual({ level: 'info' });
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0]).toMatch(/config[\\/]default\.yaml$/);
  });

  it('lets a YAML file override defaults, and lists it among the sources', () => {
    const path = file('c.yaml', 'ssh:\n  host: dokku.example.com\n  key_path: ~/.ssh/id\nlogs:\n  runtime:\n    max_lines: 2000\n');
    const config = run(['--config', path], { HOME: '/home/op' });
    expect(config.ssh.host).toBe('dokku.example.com');
    expect(config.ssh.keyPath).toBe('/home/op/.ssh/id');
    expect(config.logs.runtime.maxLines).toBe(2000);
    expect(config.logs.runtime.defaultLines).toBe(100);
    expect(config.sources).toEqual([expect.stringMatching(/default\.yaml$/), path]);
  });

  it('reads a JSON config file', () => {
    const path = file('c.json', JSON.stringify({ dokku: { sandbox: true }, transport: { type: 'http', port: 9001 } }));
    expect(run(['--config', path]).transport).toMatchObject({ type: 'http', port: 9001 });
  });

  it('accepts the shipped example for a real host', () => {
    const config = run(['--config', join(process.cwd(), 'config', 'example.yaml')]);
    expect(config.ssh.host).toBe('dokku.example.com');
    // Safe to copy as is: destructive tools work with confirm_name from a client without elicitation.
    expect(config.security.requireElicitation).toBe(false);
    expect(config.ssh.hostKeyFingerprint).toMatch(/^SHA256:/);
  });

  it('converts environment variables to numbers, booleans and lists, above the config file', () => {
    const path = file('c.yaml', 'logs:\n  runtime:\n    max_lines: 2000\n');
    const config = run(['--config', path], {
      DOKKU_MCP_DOKKU_SANDBOX: 'true',
      DOKKU_MCP_LOGS_RUNTIME_MAX_LINES: '500',
      DOKKU_MCP_LOGS_BUILD_MAX_SIZE_MB: '2.5',
      DOKKU_MCP_SECURITY_READ_ONLY: 'true',
      DOKKU_MCP_SSH_STRICT_HOST_KEY: 'false',
      DOKKU_MCP_TRANSPORT_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.logs.runtime.maxLines).toBe(500);
    expect(config.logs.build.maxSizeMb).toBe(2.5);
    expect(config.security.readOnly).toBe(true);
    expect(config.ssh.strictHostKey).toBe(false);
    expect(config.transport.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads the HTTP limits, a fractional idle time, and whether the port was given (not the shipped default)', () => {
    const config = run(['--sandbox'], {
      DOKKU_MCP_TRANSPORT_ALLOWED_HOSTS: 'mcp.example.com,other.example:8443',
      DOKKU_MCP_TRANSPORT_SESSION_IDLE_MINUTES: '0.02',
      DOKKU_MCP_TRANSPORT_MAX_SESSIONS: '3',
      DOKKU_MCP_TRANSPORT_EVENT_STORE_MAX_EVENTS_PER_SESSION: '500',
      DOKKU_MCP_TRANSPORT_EVENT_STORE_MAX_EVENTS: '500',
    });
    expect(config.transport).toMatchObject({
      allowedHosts: ['mcp.example.com', 'other.example:8443'], sessionIdleMinutes: 0.02, maxSessions: 3, portGiven: false,
      eventStore: { maxEventsPerSession: 500, maxEvents: 500 },
    });
    expect(run(['--sandbox', '--port', '8080']).transport.portGiven).toBe(true);
    expect(run(['--sandbox'], { DOKKU_MCP_TRANSPORT_PORT: '9000' }).transport.portGiven).toBe(true);
    expect(run(['--sandbox', '--config', file('p.yaml', 'transport:\n  port: 8080\n')]).transport.portGiven).toBe(true);
  });

  it('refuses HTTP limits out of range, and more events per session than in all', () => {
    expect(failure(['--sandbox'], { DOKKU_MCP_TRANSPORT_SESSION_IDLE_MINUTES: '0' }).message).toContain('transport.session_idle_minutes: must be a number greater than 0');
    expect(failure(['--sandbox'], { DOKKU_MCP_TRANSPORT_MAX_BODY_KB: '0' }).message).toContain('transport.max_body_kb: must be an integer from 1');
    expect(failure(['--sandbox'], { DOKKU_MCP_TRANSPORT_EVENT_STORE_MAX_EVENTS: '10' }).message).toContain(
      'must not exceed transport.event_store.max_events (DOKKU_MCP_TRANSPORT_EVENT_STORE_MAX_EVENTS="10")',
    );
  });

  it('treats an empty DOKKU_MCP_ variable as not given', () => {
    const path = file('c.yaml', 'ssh:\n  host: from-file.example\n');
    expect(run(['--config', path], { DOKKU_MCP_SSH_HOST: '' }).ssh.host).toBe('from-file.example');
  });

  it('lets flags override environment variables', () => {
    const config = run(['--ssh-host', 'flag.example', '--port', '9100', '--log-level', 'debug', '--read-only'], {
      DOKKU_MCP_SSH_HOST: 'env.example',
      DOKKU_MCP_TRANSPORT_PORT: '9000',
      DOKKU_MCP_LOG_LEVEL: 'warn',
    });
    expect(config.ssh.host).toBe('flag.example');
    expect(config.transport.port).toBe(9100);
    expect(config.log.level).toBe('debug');
    expect(config.security.readOnly).toBe(true);
  });

  it('reads the key passphrase from the variable named by ssh.key_passphrase_env', () => {
    const env = { DOKKU_MCP_SSH_KEY_PASSPHRASE_ENV: 'MY_PASS', MY_PASS: 's3cret', DOKKU_MCP_DOKKU_SANDBOX: 'true' };
    expect(run([], env).ssh.keyPassphrase).toBe('s3cret');
    expect(run([], { DOKKU_MCP_SSH_KEY_PASSPHRASE: 'other', DOKKU_MCP_DOKKU_SANDBOX: '1' }).ssh.keyPassphrase).toBe('other');
  });

  it('refuses an unknown key in a file, naming the key and the file and suggesting the right one', () => {
    const path = file('typo.yaml', 'dokku:\n  sandbox: true\nlogs:\n  runtime:\n    max_line: 10\n');
    const error = failure(['--config', path]);
    expect(error.message).toContain("'logs.runtime.max_line'");
    expect(error.message).toContain(path);
    expect(error.message).toContain("Did you mean 'logs.runtime.max_lines'?");
  });

  it('refuses a bad value from the environment, naming the variable, the value and what is accepted', () => {
    const error = failure(['--sandbox'], { DOKKU_MCP_LOGS_RUNTIME_MAX_LINES: 'abc' });
    expect(error.message).toContain('DOKKU_MCP_LOGS_RUNTIME_MAX_LINES="abc"');
    expect(error.message).toContain('logs.runtime.max_lines');
    expect(error.message).toContain('must be an integer from 1 to 100000');
  });

  it('refuses a boolean that is neither true nor false rather than reading it as true', () => {
    const error = failure([], { DOKKU_MCP_DOKKU_SANDBOX: 'maybe' });
    expect(error.message).toContain('DOKKU_MCP_DOKKU_SANDBOX="maybe"');
    expect(error.message).toContain('must be true or false');
  });

  it('refuses a bad value in a file or a flag, naming where it came from', () => {
    const path = file('c.yaml', 'dokku:\n  sandbox: true\nlogs:\n  build:\n    max_size_mb: 0\n');
    expect(failure(['--config', path]).message).toContain(`logs.build.max_size_mb: must be a number greater than 0 and at most 1024; got 0 in ${path}`);
    expect(failure(['--sandbox', '--port', '80x']).message).toContain('transport.port: must be an integer from 0 to 65535; got --port "80x"');
    expect(failure(['--sandbox', '--transport', 'carrier-pigeon']).message).toContain('must be one of the possible values: ["stdio","http"]');
  });

  it('refuses an unknown flag, naming it and listing the accepted ones', () => {
    const error = failure(['--sandbx']);
    expect(error.message).toContain("unknown flag '--sandbx'");
    expect(error.message).toContain('--sandbox');
    expect(error.message).toContain('--ssh-host H');
    expect(error.message).not.toContain('See --help'); // main adds "Run with --help for the options." once
  });

  it('takes the host key pin and a known_hosts file from flags', () => {
    const pin = `SHA256:${'b'.repeat(43)}`;
    const config = run(['--ssh-host', 'h', '--ssh-host-key-fingerprint', pin, '--ssh-known-hosts', '/etc/dokku-mcp/known_hosts']);
    expect(config.ssh.hostKeyFingerprint).toBe(pin);
    expect(config.ssh.knownHosts).toBe('/etc/dokku-mcp/known_hosts');
    expect(failure(['--ssh-host', 'h', '--ssh-host-key-fingerprint', 'nope']).message).toMatch(/--ssh-host-key-fingerprint/);
  });

  it('knows --check', () => {
    const result = loadConfig({ argv: ['--sandbox', '--check'], env: {} });
    expect(result.kind === 'run' && result.check).toBe(true);
    const plain = loadConfig({ argv: ['--sandbox'], env: {} });
    expect(plain.kind === 'run' && plain.check).toBe(false);
  });

  it('warns (does not refuse) about an unknown DOKKU_MCP_ variable, naming the nearest known one', () => {
    const result = loadConfig({ argv: ['--sandbox'], env: { DOKKU_MCP_SSH_HOSTS: 'x', DOKKU_MCP_LOG_LEVLE: 'debug', OTHER: '1' } });
    if (result.kind !== 'run') throw new Error('expected a run result');
    expect(result.warnings).toEqual([
      expect.stringMatching(/^the environment variable DOKKU_MCP_LOG_LEVLE is not one dokku-mcp reads; it is ignored\. Did you mean DOKKU_MCP_LOG_LEVEL\?/),
      expect.stringMatching(/^the environment variable DOKKU_MCP_SSH_HOSTS is not one dokku-mcp reads; it is ignored\. Did you mean DOKKU_MCP_SSH_HOST\?/),
    ]);
  });

  it('does not warn about the variables the configuration names itself (the key passphrase)', () => {
    const result = loadConfig({
      argv: ['--sandbox'],
      env: { DOKKU_MCP_SSH_KEY_PASSPHRASE: 'x', DOKKU_MCP_MY_KEY_PASS: 'y', DOKKU_MCP_SSH_KEY_PASSPHRASE_ENV: 'DOKKU_MCP_MY_KEY_PASS' },
    });
    expect(result.kind === 'run' && result.warnings).toEqual([
      expect.stringContaining('DOKKU_MCP_SSH_KEY_PASSPHRASE is not one'), // no longer named: a leftover worth a word
    ]);
  });

  it('requires a Dokku host or the sandbox, and says how to give either', () => {
    const error = failure([]);
    for (const hint of ['--ssh-host HOST', 'DOKKU_MCP_SSH_HOST', 'ssh.host', '--sandbox', 'dokku.sandbox: true']) {
      expect(error.message).toContain(hint);
    }
    expect(run(['--ssh-host', 'dokku.example.com']).dokku.sandbox).toBe(false);
  });

  it('refuses both a Dokku host and the sandbox as ambiguous, naming both', () => {
    const error = failure(['--sandbox'], { DOKKU_MCP_SSH_HOST: 'dokku.example.com' });
    expect(error.message).toContain('ambiguous');
    expect(error.message).toContain('ssh.host (DOKKU_MCP_SSH_HOST="dokku.example.com")');
    expect(error.message).toContain('dokku.sandbox (--sandbox)');
  });

  it('checks the host key fingerprint format', () => {
    expect(run(['--sandbox'], { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: FINGERPRINT }).ssh.hostKeyFingerprint).toBe(FINGERPRINT);
    const error = failure(['--sandbox'], { DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT: 'MD5:aa:bb' });
    expect(error.message).toContain('ssh.host_key_fingerprint');
    expect(error.message).toContain('DOKKU_MCP_SSH_HOST_KEY_FINGERPRINT="MD5:aa:bb"');
  });

  it('refuses default_lines above max_lines', () => {
    const error = failure(['--sandbox'], { DOKKU_MCP_LOGS_RUNTIME_DEFAULT_LINES: '500', DOKKU_MCP_LOGS_RUNTIME_MAX_LINES: '100' });
    expect(error.message).toContain('logs.runtime.default_lines (DOKKU_MCP_LOGS_RUNTIME_DEFAULT_LINES="500") must not exceed');
  });

  it('reports every bad value at once', () => {
    const error = failure(['--sandbox'], { DOKKU_MCP_SSH_PORT: '0', DOKKU_MCP_SSH_MAX_CHANNELS: '100' });
    expect(error.problems).toHaveLength(2);
  });

  it('reports an unreadable or malformed config file', () => {
    expect(failure(['--config', join(dir, 'missing.yaml')]).message).toContain('cannot read config file');
    expect(failure(['--config', file('bad.yaml', 'logs: [unclosed\n')]).message).toContain('is not valid YAML');
  });

  it('answers --help and --version without needing a host', () => {
    const help = loadConfig({ argv: ['--help'], env: {} });
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' && help.text).toContain('DOKKU_MCP_LOGS_RUNTIME_MAX_LINES');
    expect(help.kind === 'help' && help.text).toContain('--sandbox');
    expect(loadConfig({ argv: ['--version'], env: {} })).toEqual({ kind: 'version', text: expect.stringMatching(/^dokku-mcp \d+\.\d+\.\d+/) });
  });
});

describe('tools.toolsets', () => {
  const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const loaded = loadConfig({ argv: ['--sandbox', ...argv], env });
    if (loaded.kind !== 'run') throw new Error('expected a run config');
    return loaded.config.tools.toolsets;
  };

  it('defaults to apps, deploys, logs, config and domains; all means every toolset', () => {
    expect(run([])).toEqual(['apps', 'deploys', 'logs', 'config', 'domains']);
    expect(run(['--toolsets', 'all'])).toEqual(['apps', 'deploys', 'logs', 'config', 'domains', 'services', 'letsencrypt', 'ssh_keys']);
  });

  it('takes --toolsets a,b and DOKKU_MCP_TOOLS_TOOLSETS', () => {
    expect(run(['--toolsets', 'logs,apps'])).toEqual(['apps', 'logs']);
    expect(run([], { DOKKU_MCP_TOOLS_TOOLSETS: 'domains' })).toEqual(['domains']);
  });

  it('refuses an unknown toolset, naming the accepted ones', () => {
    expect(() => run(['--toolsets', 'logs,bogus'])).toThrow(
      /tools\.toolsets.*unknown toolset "bogus" \(accepted: apps, deploys, logs, config, domains, services, letsencrypt, ssh_keys, all\)/,
    );
  });
});

describe('store', () => {
  it('defaults to memory (nothing to reach), the prefix dokku-mcp: and a 10 s lease', () => {
    expect(run(['--sandbox']).store).toEqual({ type: 'memory', redisUrl: undefined, keyPrefix: 'dokku-mcp:', leaseTtlMs: 10_000 });
  });

  it('takes redis from flags, the environment and a file', () => {
    expect(run(['--sandbox', '--store', 'redis', '--redis-url', 'redis://10.0.0.5:6380/2']).store)
      .toMatchObject({ type: 'redis', redisUrl: 'redis://10.0.0.5:6380/2' });
    expect(run(['--sandbox'], {
      DOKKU_MCP_STORE_TYPE: 'redis', DOKKU_MCP_STORE_REDIS_URL: 'rediss://:pw@cache:6379',
      DOKKU_MCP_STORE_KEY_PREFIX: 'shop-prod:', DOKKU_MCP_STORE_LEASE_TTL_MS: '2500',
    }).store).toEqual({ type: 'redis', redisUrl: 'rediss://:pw@cache:6379', keyPrefix: 'shop-prod:', leaseTtlMs: 2500 });
    const path = file('s.yaml', 'store:\n  type: redis\n  redis_url: redis://127.0.0.1:6379\n');
    expect(run(['--sandbox', '--config', path]).store).toMatchObject({ type: 'redis', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it('refuses redis without a URL, saying how to give one or to stay in memory', () => {
    expect(failure(['--sandbox', '--store', 'redis']).message).toMatch(
      /store\.type is redis but store\.redis_url is not set: give it \(--redis-url URL, DOKKU_MCP_STORE_REDIS_URL.*store\.type: memory/,
    );
  });

  it('refuses a URL that is not redis://, naming where it came from without repeating its password', () => {
    const error = failure(['--sandbox', '--store', 'redis'], { DOKKU_MCP_STORE_REDIS_URL: 'http://:hunter2@cache:6379' });
    expect(error.message).toContain('store.redis_url (http://:***@cache:6379, from DOKKU_MCP_STORE_REDIS_URL) has the scheme "http:"; use redis://');
    expect(error.message).not.toContain('hunter2');
    expect(failure(['--sandbox', '--redis-url', 'cache:6379']).message).toMatch(/store\.redis_url .*from --redis-url\) (is not a URL|has the scheme)/);
  });

  it('refuses an unknown store type and a lease out of range', () => {
    expect(failure(['--sandbox', '--store', 'etcd']).message).toMatch(/store\.type/);
    expect(failure(['--sandbox'], { DOKKU_MCP_STORE_LEASE_TTL_MS: '50' }).message).toMatch(/store\.lease_ttl_ms/);
  });
});
