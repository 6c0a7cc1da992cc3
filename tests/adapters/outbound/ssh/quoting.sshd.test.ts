/**
 * Proof against a real sshd and a stand-in that splits the command the way Dokku does (xargs for most commands, plain
 * word splitting for git*): every value arrives as exactly one intact argument, or is refused before anything is sent.
 */
import type { SshDokkuAdapters } from '../../../../src/adapters/outbound/ssh/create-ssh-dokku-adapters.js';
import { DokkuCommand } from '../../../../src/adapters/outbound/ssh/dokku-command.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { DomainName, EnvKey, EnvValue, GitRef, GitUrl } from '../../../../src/domain/dokku-values.js';
import { InvalidArgument } from '../../../../src/domain/domain-errors.js';
import { startSshd, type SshdFixture } from '../../../support/sshd-fixture.js';
import { sshAdapters } from './ssh-test-support.js';

let fixture: SshdFixture;
let ssh: SshDokkuAdapters;
const app = AppName.of('quoting-app');

/** Builds a value object that skipped its own validation, to test the command builder's last line of defence. */
const forged = <T extends object>(type: { prototype: T }, value: string): T => Object.assign(Object.create(type.prototype), { value });
const lastArgv = () => fixture.argvLog().at(-1);

beforeAll(async () => {
  fixture = await startSshd({ deployStepMs: 20 });
  fixture.seed({ apps: { 'quoting-app': { deployed: false, config: {} } } });
  ssh = sshAdapters(fixture);
});
afterAll(async () => {
  await ssh.connection.close();
  await fixture.stop();
});

const NASTY_VALUES: Array<[string, string]> = [
  ['spaces', 'hello big   world'],
  ['single quote', "it's"],
  ['double quote', 'say "hi"'],
  ['both quote kinds', `'"'"'mixed"'`],
  ['command substitution', '$(touch /tmp/pwned-by-dokku-mcp)'],
  ['backticks', '`id`'],
  ['semicolons', 'a; rm -rf /; b'],
  ['leading --force', '--force'],
  ['bare -n (echo would eat it)', '-n'],
  ['newlines', 'line one\nline two\n'],
  ['unicode', 'ünïcødé ✓ 🚀 日本語'],
  ['backslashes', 'C:\\path\\to\\thing \\n'],
  ['empty', ''],
];

describe('config values over SSH', () => {
  it.each(NASTY_VALUES)('%s: arrive intact as one base64 argument and are stored exactly', async (_label, value) => {
    fixture.clearArgvLog();
    await ssh.config.setWithoutRestart(app, [[EnvKey.of('NASTY'), EnvValue.of(value)]]);
    const argv = lastArgv()!;
    expect(argv.slice(0, 4)).toEqual(['config:set', '--encoded', '--no-restart', 'quoting-app']);
    expect(argv).toHaveLength(5);
    expect(argv[4]!.startsWith('NASTY=')).toBe(true);
    expect(Buffer.from(argv[4]!.slice('NASTY='.length), 'base64').toString('utf8')).toBe(value);
    expect(fixture.readState().apps['quoting-app'].config.NASTY).toBe(value);
    expect(await ssh.config.get(app)).toMatchObject({ NASTY: value });
  });

  it('a value "--force" never reaches Dokku as a global --force word', () => {
    const words = fixture.argvLog().flat();
    expect(fixture.argvLog().length).toBeGreaterThan(0);
    expect(words).not.toContain('--force');
  });
});

describe('app names over SSH', () => {
  it.each(['a', '0start', 'my.app-1', 'x'.repeat(200)])('%s arrives as one intact argument', async (name) => {
    fixture.clearArgvLog();
    await ssh.apps.create(AppName.of(name));
    expect(lastArgv()).toEqual(['apps:create', name]);
    expect(await ssh.apps.exists(AppName.of(name))).toBe(true);
  });
});

describe('values that would need quoting, past the value types', () => {
  it('are quoted so xargs hands them over as one word, whatever they contain', async () => {
    const nasty = `a b'c"d $(x) \`y\`; z ✓`;
    fixture.clearArgvLog();
    // Dokku refuses the domain, but what matters is the word it received.
    await expect(ssh.domains.add(app, forged(DomainName, nasty))).rejects.toMatchObject({ code: 'DOKKU_COMMAND_FAILED' });
    expect(lastArgv()).toEqual(['domains:add', 'quoting-app', nasty]);
  });

  it.each([
    ['leading --force', '--force'],
    ['leading -n', '-n'],
    ['newline', 'a\nb'],
    ['NUL', 'a\0b'],
  ])('%s is refused before anything is sent', async (_label, value) => {
    fixture.clearArgvLog();
    await expect(ssh.domains.add(app, forged(DomainName, value))).rejects.toBeInstanceOf(InvalidArgument);
    await expect(ssh.apps.create(forged(AppName, value))).rejects.toBeInstanceOf(InvalidArgument);
    expect(fixture.argvLog()).toEqual([]);
  });

  it('a NUL in a config value is refused by the value type, before anything is sent', () => {
    expect(() => EnvValue.of('a\0b')).toThrow(InvalidArgument);
  });
});

describe('git* commands (word split, quotes kept literally)', () => {
  it('send validated values bare, and they arrive as the same words', async () => {
    fixture.clearArgvLog();
    const run = await ssh.deploys.start(
      { kind: 'deploy', app, repoUrl: GitUrl.of('https://github.com/org/repo.git'), ref: GitRef.of('release/v1.2') },
      () => undefined,
    );
    await run.outcome;
    expect(fixture.argvLog()[0]).toEqual(['git:sync', '--build', 'quoting-app', 'https://github.com/org/repo.git', 'release/v1.2']);
  });

  it('refuse a value that would need quoting, before anything is sent', async () => {
    fixture.clearArgvLog();
    const operation = { kind: 'deploy' as const, app, repoUrl: GitUrl.of('https://github.com/org/repo.git'), ref: forged(GitRef, "main' x") };
    await expect(ssh.deploys.start(operation, () => undefined)).rejects.toBeInstanceOf(InvalidArgument);
    expect(fixture.argvLog()).toEqual([]);
  });

  it('the same value quoted would have arrived broken (why git* values must be bare-safe)', async () => {
    fixture.clearArgvLog();
    // What a naive quoting client would send: the stand-in, like Dokku, keeps the quotes as part of the words.
    await ssh.connection.exec(`git:sync 'quoting-app' 'https://github.com/org/repo.git'`);
    expect(fixture.argvLog()[0]).toEqual(['git:sync', "'quoting-app'", "'https://github.com/org/repo.git'"]);
  });
});

describe('long flags', () => {
  it('--num survives xargs where -n would vanish', async () => {
    fixture.seed({ apps: { 'logs-app': { deployed: true, running: true, scale: { web: 1 } } } });
    fixture.clearArgvLog();
    const lines = await ssh.logs.recent(AppName.of('logs-app'), { linesPerContainer: 3 });
    expect(lastArgv()).toEqual(['logs', 'logs-app', '--num', '3']);
    expect(lines).toHaveLength(3);
    expect(DokkuCommand.of('logs').value(AppName.of('logs-app')).flag('--num').int(3).argv).toEqual(lastArgv());
  });
});
