/**
 * A real OpenSSH sshd on loopback whose forced command is the Dokku stand-in
 * (tests/fixtures/dokku-standin). Real Dokku needs Docker; this keeps the SSH path real.
 * Needs /usr/sbin/sshd (scripts/ensure-sshd.sh installs it).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
// Beside this file in the source tree; from a compiled copy (the benchmark's build) fall back to the working directory.
const STANDIN_NEXT_TO_ME = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/dokku-standin');
const STANDIN_DIR = fs.existsSync(STANDIN_NEXT_TO_ME) ? STANDIN_NEXT_TO_ME : path.resolve('tests/fixtures/dokku-standin');
const SSHD = '/usr/sbin/sshd';

export interface SeedApp {
  createdAt?: number;
  deployed?: boolean;
  running?: boolean;
  source?: string;
  ref?: string;
  config?: Record<string, string>;
  domains?: string[];
  scale?: Record<string, number>;
  failedContainers?: Array<{ cid: string; lines: string[] }>;
  /** What every container of the app printed, oldest first: `logs --num N` shows the newest N (instead of generated lines). */
  runtimeLog?: string[];
  /** When set, ps:scale rejects other process types. */
  processTypes?: string[];
  /** When true, ps:scale refuses (app.json formations). */
  formations?: boolean;
  /** `logs --num N` prints the newest N lines its `logs --tail` printed by now (the time-function log), not made-up ones. */
  liveLog?: boolean;
  /** Build output of every deploy of the app, after its first build steps: a line, or one line written in several chunks. */
  buildOutput?: Array<string | { chunks: string[] }>;
  /** What Dokku's last " !" line says when a build of the app fails (a source naming "fail"): "App build failed" unless set. */
  buildFailure?: string;
  /** What `logs --tail` prints, cycled (instead of generated lines). */
  tailLog?: string[];
  /** Subcommands that fail for this app (exit 1) with these lines as Dokku's error (" !     " prefixed, stderr). */
  failWith?: Record<string, string[]>;
  /** Recorded builds, as builds:list reads them ({ id, kind, status, pid, source, started_at, ... }). */
  builds?: Array<Record<string, unknown>>;
}

export interface SeedState {
  apps: Record<string, SeedApp>;
  version?: string;
  hostname?: string;
  globalDomains?: string[];
  globalConfig?: Record<string, string>;
  plugins?: Array<[string, string, boolean] | [string, string, boolean, string]>;
  /** Subcommands that fail (exit 1) with these lines as Dokku's error, whatever the app. */
  failWith?: Record<string, string[]>;
  /** Subcommands that hang (silent, never exiting) instead of answering; their pids go to hungPids(). */
  hang?: string[];
  /** builds:output of a running build pauses this long after every 100 lines of its replay (a starved host). */
  replayPauseMs?: number;
  /** Datastore services by type and name (see standin-plugins.mjs). */
  services?: Record<string, Record<string, { password: string; links: string[]; status: string; image?: string; logs?: string[] }>>;
  /** dokku-letsencrypt's properties and certificates (expiresAt: epoch seconds), and whether the auto-renew cron job is on. */
  letsencrypt?: { global: Record<string, string>; apps: Record<string, Record<string, unknown>>; autorenew: boolean };
  /** The keys in Dokku's authorized_keys; by default the fixture's client key, named "admin". */
  sshKeys?: Array<{ name: string; fingerprint: string; publicKey: string }>;
  /** The user Dokku runs as over SSH: "dokku" (default; ssh-keys:add/remove refuse it) or "root". */
  sshUser?: 'dokku' | 'root';
}

export interface SshdFixture {
  host: '127.0.0.1';
  port: number;
  user: string;
  clientKeyPath: string;
  knownHostsPath: string;
  hostKeyFingerprint: string;
  stateDir: string;
  argvLog(): string[][];
  /** What the stand-in's commands read from stdin (ssh-keys:add), in order. */
  stdinLog(): Array<{ argv: string[]; stdin: string }>;
  /** Pids of stand-in commands that hung (state.hang, or a deploy whose source contains "hang"), oldest first. */
  hungPids(): number[];
  /** Pids of every `logs --tail` the stand-in ran (of `app` only, when given), oldest first; see isRunning. */
  tailPids(app?: string): number[];
  /** The `logs … --tail` invocations in the argv log (every one the host was asked to run). */
  tailCalls(): string[][];
  /**
   * sshd goes away with every session it serves (their remote commands killed), as when the host's sshd is killed;
   * `start()` brings it back on the same port. State, keys and the stand-in daemon stay.
   */
  kill(): Promise<void>;
  start(): Promise<void>;
  clearArgvLog(): void;
  setVersion(v: string): void;
  seed(state: SeedState): void;
  readState(): any;
  /** The resident stand-in process serving pure reads; absent with `fastPath: false`. */
  daemon?: StandinDaemon;
  /**
   * Starts what a `git push` of `app` does on the host (a build with source git-hook), outside any SSH command of the
   * client under test and outside the argv log. `lines`: that many log lines written at once first; `stepMs`: the pace.
   */
  push(app: string, options?: { lines?: number; stepMs?: number }): StandinPush;
  stop(): Promise<void>;
}

export interface StandinPush {
  readonly pid: number;
  /** The push's exit code, once it ended. */
  readonly done: Promise<number | null>;
}

export interface StandinDaemon {
  pid: number;
  port: number;
  /** Sent first by the `dokku` entry; a request without it is declined. */
  token: string;
  /** Every request the daemon received, in order; served false: declined, so the entry exec'd Node instead. */
  requests(): Array<{ argv: string[]; served: boolean }>;
}

export interface SshdOptions {
  deployStepMs?: number;
  logIntervalMs?: number;
  /** logs --tail: lines written per interval (default 1). */
  logBurst?: number;
  /** logs --tail: how long a container replaced by a deploy keeps printing before it retires (default 60 s). */
  retireMs?: number;
  /**
   * Default true: pure reads (apps:list, *:report, logs without --tail...) are answered by one resident stand-in
   * process instead of a Node start per command (~50 ms, which would hide what the benchmark measures). Same
   * implementation, same bytes, exit codes and argv log; false keeps every command on the exec path.
   */
  fastPath?: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { socket.destroy(); resolve(false); });
  });

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function keygen(file: string, comment: string): Promise<{ publicKey: string; fingerprint: string }> {
  await execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  const { stdout } = await execFileAsync('ssh-keygen', ['-lf', `${file}.pub`]);
  return { publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint: stdout.split(' ')[1] };
}

/** Every live descendant of pid (sshd forks per connection and the children call setsid()). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch { /* exited meanwhile */ }
  }
  const found: number[] = [];
  const walk = (p: number) => { for (const c of parents.get(p) ?? []) { found.push(c); walk(c); } };
  walk(pid);
  return found;
}

const kill = (pid: number, signal: NodeJS.Signals) => { try { process.kill(pid, signal); } catch { /* gone */ } };

// Same lock as the stand-in (mkdir + pid), so fixture writes never race a running command.
function withStateLock<T>(stateDir: string, fn: () => T): T {
  const dir = path.join(stateDir, '.state.lock');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try { fs.mkdirSync(dir); break; } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
    return fn();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sshdConfig(dir: string, port: number): string {
  return [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_ed25519`, `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'PermitRootLogin prohibit-password',
    'MaxSessions 10', 'MaxStartups 100:30:200', 'LogLevel ERROR', 'PrintMotd no', 'PrintLastLog no', 'UseDNS no',
    'X11Forwarding no', 'AllowTcpForwarding no',
    // With SHLVL already 1, bash does not source ~/.bashrc for the forced command (its "run by sshd"
    // check needs SHLVL < 2), so a developer's rc files cannot slow down or pollute every command.
    'SetEnv SHLVL=1',
    '',
  ].join('\n');
}

/** Ends a child process (TERM, then KILL after 2 s) and releases its pipes. */
async function terminate(child: ChildProcess): Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  if (running()) {
    const exited = new Promise((r) => child.once('exit', r));
    kill(child.pid!, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer);
    if (running()) { kill(child.pid!, 'SIGKILL'); await exited; }
  }
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
}

/** The stand-in in daemon mode: it prints its port once listening on 127.0.0.1. */
async function startDaemon(dir: string, standinEnv: Record<string, string>): Promise<{ child: ChildProcess; daemon: StandinDaemon }> {
  const token = crypto.randomBytes(16).toString('hex');
  const logFile = path.join(dir, 'standin-daemon.log');
  const child = spawn(process.execPath, [path.join(STANDIN_DIR, 'dokku-standin.mjs')], {
    // Like the exec path, which gets sshd's bare environment: no NODE_OPTIONS from the test runner.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...standinEnv,
      DOKKU_STANDIN_SERVE: '1', DOKKU_STANDIN_DAEMON_TOKEN: token, DOKKU_STANDIN_DAEMON_LOG: logFile },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8192); });
  let onExit: ((code: number | null) => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), 5000);
    const fail = (why: unknown) => { clearTimeout(timer); reject(why); };
    onExit = (code) => fail(new Error(`exited with ${code}`));
    child.once('exit', onExit);
    child.on('error', fail);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) { clearTimeout(timer); resolve(Number(stdout.split('\n')[0])); }
    });
  }).catch(async (e: unknown) => {
    await terminate(child);
    throw new Error(`the stand-in daemon did not start: ${stderr.trim() || String(e)}`);
  });
  child.off('exit', onExit!);
  const requests = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '')
    .split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { argv: string[]; served: boolean });
  return { child, daemon: { pid: child.pid!, port, token, requests } };
}

async function launch(configPath: string, port: number): Promise<ChildProcess> {
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8192); });
  child.once('exit', () => { exited = true; });
  child.once('error', (e) => { stderr += String(e); exited = true; });
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !exited) {
    if (await canConnect(port)) return child;
    await delay(20);
  }
  kill(child.pid ?? 0, 'SIGKILL');
  throw Object.assign(new Error(`sshd did not start on port ${port}: ${stderr.trim() || 'timeout'}`), { stderr });
}

export async function startSshd(options: SshdOptions = {}): Promise<SshdFixture> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dokku-mcp-sshd-'));
  try {
    return await start(dir, options);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function start(dir: string, options: SshdOptions): Promise<SshdFixture> {
  let daemonChild: ChildProcess | undefined;
  try {
    return await startWith(dir, options, (child) => { daemonChild = child; });
  } catch (e) {
    if (daemonChild) await terminate(daemonChild);
    throw e;
  }
}

async function startWith(dir: string, options: SshdOptions, started: (daemon: ChildProcess) => void): Promise<SshdFixture> {
  fs.mkdirSync('/run/sshd', { recursive: true });
  const stateDir = path.join(dir, 'state');
  fs.mkdirSync(stateDir);
  const host = await keygen(path.join(dir, 'host_ed25519'), 'dokku-mcp-host');
  const client = await keygen(path.join(dir, 'client_ed25519'), 'dokku-mcp-client');
  const entry = path.join(STANDIN_DIR, 'dokku');
  // Materialize the default seed so readState() works before the first command.
  execFileSync(process.execPath, [path.join(STANDIN_DIR, 'dokku-standin.mjs')], {
    env: { ...process.env, DOKKU_STANDIN_STATE: stateDir, DOKKU_STANDIN_INIT: '1' },
  });
  const standinEnv = { DOKKU_STANDIN_STATE: stateDir, DOKKU_STANDIN_DEPLOY_STEP_MS: String(options.deployStepMs ?? 150),
    DOKKU_STANDIN_LOG_INTERVAL_MS: String(options.logIntervalMs ?? 200), DOKKU_STANDIN_LOG_BURST: String(options.logBurst ?? 1),
    DOKKU_STANDIN_RETIRE_MS: String(options.retireMs ?? 60_000) };
  let daemon: { child: ChildProcess; daemon: StandinDaemon } | undefined;
  if (options.fastPath !== false) {
    daemon = await startDaemon(dir, standinEnv);
    started(daemon.child);
  }
  // As sshcommand acl-add writes it; our extra variables ride along like FINGERPRINT does.
  const vars = [`FINGERPRINT=${client.fingerprint}`, 'NAME=\\"admin\\"', `DOKKU_STANDIN_STATE=\\"${stateDir}\\"`,
    `DOKKU_STANDIN_NODE=\\"${process.execPath}\\"`, `DOKKU_STANDIN_DEPLOY_STEP_MS=${standinEnv.DOKKU_STANDIN_DEPLOY_STEP_MS}`,
    `DOKKU_STANDIN_LOG_INTERVAL_MS=${standinEnv.DOKKU_STANDIN_LOG_INTERVAL_MS}`,
    `DOKKU_STANDIN_LOG_BURST=${standinEnv.DOKKU_STANDIN_LOG_BURST}`, `DOKKU_STANDIN_RETIRE_MS=${standinEnv.DOKKU_STANDIN_RETIRE_MS}`,
    ...(daemon ? [`DOKKU_STANDIN_DAEMON=127.0.0.1:${daemon.daemon.port}`, `DOKKU_STANDIN_DAEMON_TOKEN=${daemon.daemon.token}`] : [])];
  fs.writeFileSync(path.join(dir, 'authorized_keys'),
    `command="${vars.join(' ')} ${entry} $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding ${client.publicKey}\n`);

  const configPath = path.join(dir, 'sshd_config');
  const knownHostsPath = path.join(dir, 'known_hosts');
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    fs.writeFileSync(configPath, sshdConfig(dir, port));
    try {
      child = await launch(configPath, port);
    } catch (e) {
      // Another process may grab the port between our probe and sshd's bind: try another one.
      if (attempt >= 5 || !/Address already in use|Cannot bind/i.test((e as { stderr?: string }).stderr ?? '')) throw e;
    }
  }
  const hostKeyType = host.publicKey.split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${hostKeyType}\n`);

  const stateFile = path.join(stateDir, 'state.json');
  const argvFile = path.join(stateDir, 'argv.log');
  const readState = () => JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const writeState = (update: (s: any) => void) => withStateLock(stateDir, () => {
    const state = readState();
    update(state);
    const tmp = `${stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(tmp, stateFile);
  });
  // Dokku's authorized_keys holds the key this server logs in with, filed as "admin" (as the fixture's line says).
  writeState((s) => { s.sshKeys = [{ name: 'admin', fingerprint: client.fingerprint, publicKey: client.publicKey }]; });
  const pushes = new Set<ChildProcess>();
  let sshd = child;
  const sshdRunning = () => sshd.exitCode === null && sshd.signalCode === null;
  const killSshd = async () => {
    if (!sshdRunning()) return;
    const exited = new Promise((r) => sshd.once('exit', r));
    // Sessions live in their own process groups: kill the whole tree, deepest first.
    for (const pid of descendants(sshd.pid!).reverse()) kill(pid, 'SIGKILL');
    kill(sshd.pid!, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 2000); })]);
    clearTimeout(timer);
    if (sshdRunning()) { kill(sshd.pid!, 'SIGKILL'); await exited; }
    sshd.stderr?.destroy();
  };
  const readPids = (name: string) => {
    const file = path.join(stateDir, name);
    return (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').split('\n').filter((l) => l !== '').map(Number);
  };
  const argvLog = () => (fs.existsSync(argvFile) ? fs.readFileSync(argvFile, 'utf8') : '')
    .split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string[]);

  return {
    host: '127.0.0.1', port, user: os.userInfo().username, clientKeyPath: path.join(dir, 'client_ed25519'),
    knownHostsPath, hostKeyFingerprint: host.fingerprint, stateDir,
    argvLog,
    stdinLog: () => {
      const file = path.join(stateDir, 'stdin.log');
      return (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { argv: string[]; stdin: string });
    },
    hungPids: () => readPids('hung.pids'),
    tailPids: (app?: string) => {
      const file = path.join(stateDir, 'tail.pids');
      return (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').split('\n').filter((l) => l !== '')
        .map((l) => l.split(' ')).filter(([, name]) => app === undefined || name === app).map(([pid]) => Number(pid));
    },
    tailCalls: () => argvLog().filter((argv) => argv[0] === 'logs' && argv.some((word) => word === '--tail' || /^-[a-z]*t/.test(word))),
    kill: killSshd,
    async start() {
      if (sshdRunning()) return;
      sshd = await launch(configPath, port);
    },
    clearArgvLog: () => fs.writeFileSync(argvFile, ''),
    setVersion: (v) => writeState((s) => { s.version = v; }),
    seed: (seed) => writeState((s) => { Object.assign(s, seed); }),
    readState,
    daemon: daemon?.daemon,
    push(app, options = {}) {
      const pushed = spawn(process.execPath, [path.join(STANDIN_DIR, 'dokku-standin.mjs')], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...standinEnv, DOKKU_STANDIN_PUSH: app,
          DOKKU_STANDIN_PUSH_LINES: String(options.lines ?? 0),
          ...(options.stepMs === undefined ? {} : { DOKKU_STANDIN_DEPLOY_STEP_MS: String(options.stepMs) }) },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      pushes.add(pushed);
      const done = new Promise<number | null>((resolve) => pushed.once('exit', (code) => { pushes.delete(pushed); resolve(code); }));
      return { pid: pushed.pid!, done };
    },
    async stop() {
      for (const pushed of pushes) kill(pushed.pid!, 'SIGKILL');
      await killSshd();
      if (daemon) await terminate(daemon.child);
      // A stand-in hung up with sshd (a deploy recording itself abandoned) may still write its state for a moment.
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    },
  };
}

/** Whether a process runs (a zombie, exited but not yet reaped, does not count). */
export function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
