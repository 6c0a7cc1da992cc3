import { jest } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { createWinstonLogger, WinstonLogger } from '../../../../src/adapters/outbound/system/winston-logger.js';

/** Collects what the logger writes; winston hands entries to transports through streams, so wait a turn. */
function sink(): { stream: PassThrough; lines: () => Promise<string[]> } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return {
    stream,
    lines: async () => {
      await new Promise((r) => setImmediate(r));
      return text.split('\n').filter((l) => l !== '');
    },
  };
}

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (error|warn |info |debug) /;
const redactSecret = (s: string): string => s.replace(/hunter2/g, '[REDACTED]');

let stdoutWrite: jest.SpiedFunction<typeof process.stdout.write>;
beforeEach(() => {
  stdoutWrite = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  // In stdio mode stdout is the MCP protocol: one stray log line corrupts it.
  expect(stdoutWrite).not.toHaveBeenCalled();
  stdoutWrite.mockRestore();
});

describe('createWinstonLogger', () => {
  it('writes one "timestamp level message {meta}" line per entry to the given stream', async () => {
    const out = sink();
    const logger = createWinstonLogger('info', out.stream);
    logger.info('server started', { transport: 'stdio', port: 8080 });
    logger.warn('no meta');
    const lines = await out.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(LINE);
    expect(lines[0]).toMatch(/Z info  server started \{"transport":"stdio","port":8080\}$/);
    expect(lines[1]).toMatch(/Z warn  no meta$/);
  });

  it('writes to stderr by default, never stdout', async () => {
    const stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      createWinstonLogger('debug').error('boom', { code: 'E1' });
      await new Promise((r) => setImmediate(r));
      const written = stderrWrite.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toMatch(/Z error boom \{"code":"E1"\}\n$/);
    } finally {
      stderrWrite.mockRestore();
    }
  });

  it('keeps an entry on one line even when the message holds newlines', async () => {
    const out = sink();
    createWinstonLogger('info', out.stream).info('first\nfake 2026-01-01T00:00:00.000Z error forged');
    expect(await out.lines()).toHaveLength(1);
  });

  it('stops writing to a stream that failed (EPIPE), so a dead stderr cannot feed an error loop', async () => {
    let writes = 0;
    const dead = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const logger = createWinstonLogger('info', dead);
    logger.info('first');
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 5; i++) logger.error('after the pipe broke', { i });
    await new Promise((r) => setImmediate(r));
    expect(writes).toBe(1);
  });

  it('refuses an unknown level', () => {
    expect(() => createWinstonLogger('loud', new PassThrough())).toThrow(/unknown log level "loud"/);
  });
});

describe('WinstonLogger', () => {
  it('drops entries below the configured level', async () => {
    const out = sink();
    const logger = new WinstonLogger(createWinstonLogger('warn', out.stream));
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    const lines = await out.lines();
    expect(lines.map((l) => l.replace(LINE, ''))).toEqual(['w', 'e']);
  });

  it('passes debug entries at level debug', async () => {
    const out = sink();
    new WinstonLogger(createWinstonLogger('debug', out.stream)).debug('details', { n: 1 });
    expect(await out.lines()).toEqual([expect.stringMatching(/Z debug details \{"n":1\}$/)]);
  });

  it('redacts the message and every string in the meta, nested ones and errors included', async () => {
    const out = sink();
    const logger = new WinstonLogger(createWinstonLogger('info', out.stream), redactSecret);
    logger.error('login with hunter2 failed', {
      password: 'hunter2',
      nested: { args: ['--token', 'hunter2'] },
      cause: new Error('bad password hunter2'),
      attempts: 3,
    });
    const [line] = await out.lines();
    expect(line).not.toContain('hunter2');
    expect(line).toContain('login with [REDACTED] failed');
    expect(line).toContain('"password":"[REDACTED]"');
    expect(line).toContain('"args":["--token","[REDACTED]"]');
    expect(line).toContain('"message":"bad password [REDACTED]"');
    expect(line).toContain('"attempts":3');
  });

  it('keeps meta fields named like entry fields from altering the entry', async () => {
    const out = sink();
    new WinstonLogger(createWinstonLogger('info', out.stream)).info('real', { message: 'fake', level: 'error' });
    const [line] = await out.lines();
    expect(line).toMatch(/Z info  real \{"message":"fake","level":"error"\}$/);
  });

  it('survives circular meta', async () => {
    const out = sink();
    const meta: Record<string, unknown> = { a: 1 };
    meta.self = meta;
    new WinstonLogger(createWinstonLogger('info', out.stream)).info('loop', meta);
    expect(await out.lines()).toEqual([expect.stringContaining('"self":"[Circular]"')]);
  });
});
