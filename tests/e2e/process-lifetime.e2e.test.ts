import { spawn } from 'node:child_process';
import { alive, INITIALIZE, MAIN, RawServer, requireBuild, ROOT, rssKib, SERVER_ENV, watchUntilGone } from '../support/raw-stdio-server.js';

/**
 * The server lives exactly as long as its client: a client that goes away (killed, quit, closed a pipe) must not leave
 * a server behind spinning on EPIPE. Deadlines are generous ("within a few seconds"); memory is sampled while waiting.
 */
const GONE_WITHIN_MS = 8_000;
const RSS_HEADROOM_KIB = 100 * 1024;

const started: number[] = [];
beforeAll(requireBuild);
afterAll(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

function rawServer(): RawServer {
  const server = new RawServer();
  started.push(server.pid);
  return server;
}

describe('the server ends with its client', () => {
  it('is gone soon after the process that holds its pipes is killed, and its memory never climbs', async () => {
    // An intermediate "client" that spawns the server with pipes, starts a session and a deploy (so the server keeps
    // logging), prints the server's pid once the deploy has started (its answer to id 2), and is then SIGKILLed: every
    // pipe end it held closes at once.
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, [${JSON.stringify(MAIN)}, '--sandbox'], { env: ${JSON.stringify(SERVER_ENV)}, stdio: ['pipe', 'pipe', 'pipe'] });
      let answers = '';
      child.stdout.on('data', (d) => {
        if (answers.includes('"id":2')) return;
        answers += d;
        if (answers.includes('"id":2')) process.stdout.write(child.pid + '\\n');
      });
      child.stderr.on('data', () => {});
      child.stdin.write(${JSON.stringify(`${JSON.stringify(INITIALIZE)}\n`)});
      child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\\n');
      child.stdin.write('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"rebuild_app","arguments":{"app_name":"node-js-app"}}}\\n');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((done) => parent.stdout.once('data', (chunk) => done(Number(String(chunk).trim()))));
    started.push(pid); // printed once the session runs and the deploy has started: its memory is now the baseline
    const before = rssKib(pid) ?? 0;
    parent.kill('SIGKILL');

    const { gone, maxRssKib } = await watchUntilGone(pid, GONE_WITHIN_MS);
    expect(gone).toBe(true);
    expect(maxRssKib).toBeLessThan(before + RSS_HEADROOM_KIB);
  });

  it('is gone soon after its stderr is closed and a tool is called, without its memory climbing', async () => {
    const server = rawServer();
    await server.initialize();
    const before = rssKib(server.pid) ?? 0;
    server.child.stderr.destroy(); // our read end: the server's next log write fails with EPIPE
    server.callTool(2, 'create_app', { app_name: 'after-stderr' }); // a mutating tool logs "tool call"

    const { gone, maxRssKib } = await watchUntilGone(server.pid, GONE_WITHIN_MS);
    expect(gone).toBe(true);
    expect(maxRssKib).toBeLessThan(before + RSS_HEADROOM_KIB);
  });

  it('exits 0 when stdin closes', async () => {
    const server = rawServer();
    await server.initialize();
    server.child.stdin.end();
    expect(await server.exited).toBe(0);
  });

  it('is gone soon after its stdout is closed and it has something to answer', async () => {
    const server = rawServer();
    await server.initialize();
    const before = rssKib(server.pid) ?? 0;
    server.child.stdout.destroy(); // our read end: the server's next reply fails with EPIPE
    server.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    server.callTool(3, 'list_apps');

    const { gone, maxRssKib } = await watchUntilGone(server.pid, GONE_WITHIN_MS);
    expect(gone).toBe(true);
    expect(maxRssKib).toBeLessThan(before + RSS_HEADROOM_KIB);
  });
});
