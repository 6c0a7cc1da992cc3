import { DokkuCommand, quote, type DokkuSubcommand } from '../../../../src/adapters/outbound/ssh/dokku-command.js';
import { AppName } from '../../../../src/domain/app-name.js';
import { DomainName, EnvKey, EnvValue, GitRef, GitUrl, ImageRef, ProcessType } from '../../../../src/domain/dokku-values.js';
import { InvalidArgument } from '../../../../src/domain/domain-errors.js';

const app = AppName.of('my-app');

describe('DokkuCommand', () => {
  it('quotes values for xargs and leaves its own constants bare', () => {
    const command = DokkuCommand.of('logs').value(app).flag('--num').int(50).flag('--ps').value(ProcessType.of('web'));
    expect(command.toString()).toBe("logs 'my-app' --num '50' --ps 'web'");
    expect(command.argv).toEqual(['logs', 'my-app', '--num', '50', '--ps', 'web']);
  });

  it("encodes a single quote as '\"'\"'", () => {
    expect(quote("it's")).toBe(`'it'"'"'s'`);
  });

  it('puts the global --force before apps:destroy', () => {
    expect(DokkuCommand.forced('apps:destroy').value(app).argv).toEqual(['--force', 'apps:destroy', 'my-app']);
  });

  it('sends config values base64-encoded', () => {
    const command = DokkuCommand.of('config:set').flag('--encoded').value(app).envPair(EnvKey.of('A'), EnvValue.of("x'\n$(y)"));
    const pair = command.argv[3]!;
    expect(pair.startsWith('A=')).toBe(true);
    expect(Buffer.from(pair.slice(2), 'base64').toString('utf8')).toBe("x'\n$(y)");
    expect(command.toString()).not.toContain('\n');
  });

  it('renders scale pairs as type=count', () => {
    expect(DokkuCommand.of('ps:scale').value(app).scalePair(ProcessType.of('web'), 2).argv).toEqual(['ps:scale', 'my-app', 'web=2']);
  });

  it('sends git* commands bare (Dokku does not remove quotes there)', () => {
    const command = DokkuCommand.of('git:sync')
      .flag('--build')
      .value(app)
      .value(GitUrl.of('https://github.com/org/repo.git'))
      .value(GitRef.of('main'));
    expect(command.toString()).toBe('git:sync --build my-app https://github.com/org/repo.git main');
    expect(DokkuCommand.of('git:from-image').value(app).value(ImageRef.of('nginx:1.27')).toString()).toBe(
      'git:from-image my-app nginx:1.27',
    );
  });

  it('refuses subcommands outside the allowlist', () => {
    expect(() => DokkuCommand.of('apps:rename' as DokkuSubcommand)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('run' as DokkuSubcommand)).toThrow(InvalidArgument);
  });

  it('refuses flags outside its constants and raw strings as values', () => {
    expect(() => DokkuCommand.of('logs').flag('-n' as never)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('logs').flag('--force' as never)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('logs').value({ value: 'x; rm -rf /' } as never)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('logs').value('my-app' as never)).toThrow(InvalidArgument);
  });

  it('refuses negative or fractional integers', () => {
    expect(() => DokkuCommand.of('logs').int(-1)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('logs').int(1.5)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('ps:scale').value(app).scalePair(ProcessType.of('web'), -2)).toThrow(InvalidArgument);
  });

  it('refuses a value beginning with "-" even if a value type let it through', () => {
    // Simulates a future, looser value type: the builder is the last line of defence.
    const sneaky = Object.assign(Object.create(DomainName.prototype), { value: '--force' }) as DomainName;
    expect(() => DokkuCommand.of('domains:add').value(app).value(sneaky)).toThrow(/may not begin with "-"/);
  });

  it('refuses newlines and NUL in any value', () => {
    const withNewline = Object.assign(Object.create(DomainName.prototype), { value: 'a\nb' }) as DomainName;
    const withNul = Object.assign(Object.create(DomainName.prototype), { value: 'a\0b' }) as DomainName;
    expect(() => DokkuCommand.of('domains:add').value(app).value(withNewline)).toThrow(InvalidArgument);
    expect(() => DokkuCommand.of('domains:add').value(app).value(withNul)).toThrow(InvalidArgument);
  });

  it('refuses, for git* commands, a value that would need quoting', () => {
    const spaced = Object.assign(Object.create(GitRef.prototype), { value: "main'; x" }) as GitRef;
    const url = GitUrl.of('https://github.com/org/repo.git');
    expect(() => DokkuCommand.of('git:sync').value(app).value(url).value(spaced)).toThrow(/without spaces, quotes/);
  });
});
