import { AppName } from '../../../domain/app-name.js';
import { BuildId, DomainName, EnvKey, EnvValue, GitRef, GitUrl, ImageRef, ProcessType } from '../../../domain/dokku-values.js';
import { InvalidArgument, LimitExceeded } from '../../../domain/domain-errors.js';
import { EmailAddress } from '../../../domain/letsencrypt.js';
import { SERVICE_TYPES, ServiceName, type ServiceType } from '../../../domain/service.js';
import { SshKeyName } from '../../../domain/ssh-key.js';

const CORE_SUBCOMMANDS = [
  'apps:list', 'apps:exists', 'apps:create', 'apps:destroy', 'apps:report',
  'ps:report', 'ps:scale', 'ps:stop', 'ps:start', 'ps:restart', 'ps:rebuild',
  'logs', 'logs:failed', 'config:export', 'config:show', 'config:set', 'config:unset',
  'domains:report', 'domains:add', 'domains:remove', 'domains:add-global',
  'git:sync', 'git:from-image', 'git:report', 'builds:cancel', 'builds:list', 'builds:info', 'builds:output', 'version', 'plugin:list',
] as const;
/** What the datastore plugins offer that this adapter uses (each plugin: `<type>:<command>`). */
const SERVICE_COMMANDS = ['list', 'info', 'create', 'destroy', 'logs', 'link', 'unlink'] as const;
export type ServiceSubcommand = `${ServiceType}:${(typeof SERVICE_COMMANDS)[number]}`;
const PLUGIN_SUBCOMMANDS = [
  'letsencrypt:report', 'letsencrypt:set', 'letsencrypt:enable', 'letsencrypt:disable',
  'ssh-keys:list', 'ssh-keys:add', 'ssh-keys:remove',
] as const;
export type DokkuSubcommand = (typeof CORE_SUBCOMMANDS)[number] | ServiceSubcommand | (typeof PLUGIN_SUBCOMMANDS)[number];

/** The only Dokku subcommands this adapter may run. */
export const DOKKU_SUBCOMMANDS: readonly DokkuSubcommand[] = [
  ...CORE_SUBCOMMANDS,
  ...SERVICE_TYPES.flatMap((type) => SERVICE_COMMANDS.map((command): ServiceSubcommand => `${type}:${command}`)),
  ...PLUGIN_SUBCOMMANDS,
];

/** `<type>:<command>` of a datastore plugin. */
export const serviceSubcommand = (type: ServiceType, command: (typeof SERVICE_COMMANDS)[number]): ServiceSubcommand => `${type}:${command}`;

/**
 * Flags the adapter adds itself. Long forms only: Dokku re-splits the command with `xargs -n 1`, which runs `echo`
 * once per word, and a bare `-n` (or `-e`, `-E`) is swallowed by echo.
 */
export type DokkuFlag = '--format' | '--num' | '--ps' | '--global' | '--no-restart' | '--encoded' | '--build' | '--tail' | '--git-sha' | '--status';
const FLAGS: ReadonlySet<string> = new Set(['--format', '--num', '--ps', '--global', '--no-restart', '--encoded', '--build', '--tail', '--git-sha', '--status']);

/**
 * The longest command line this adapter sends, in bytes. OpenSSH hands the command to the forced command in the
 * SSH_ORIGINAL_COMMAND environment variable, and Linux caps one argv/env string at MAX_ARG_STRLEN = 128 KiB (the
 * variable's name included); sshd itself drops the whole connection (every in-flight call of every client) on a
 * packet over 256 KiB. 96 KiB stays under both with room for quoting and the name, and still fits one config value of
 * the largest size EnvValue allows (64 KiB, 87,384 bytes once base64-encoded).
 */
export const MAX_COMMAND_BYTES = 96 * 1024;

/** Values a client can influence; each type already enforced its own rule. */
export type DokkuValue = AppName | ProcessType | EnvKey | DomainName | GitUrl | GitRef | ImageRef | BuildId | ServiceName | SshKeyName | EmailAddress;
const VALUE_TYPES = [AppName, ProcessType, EnvKey, DomainName, GitUrl, GitRef, ImageRef, BuildId, ServiceName, SshKeyName, EmailAddress] as const;

/** What survives the unquoted `$0 $SSH_ORIGINAL_COMMAND` of `git*` commands: no spaces, quotes, globs or escapes. */
const BARE_SAFE = /^[A-Za-z0-9._~:/@%+=,#-]+$/;

interface Word {
  readonly text: string;
  /** A constant of ours (subcommand, flag) or a value that came from outside. */
  readonly constant: boolean;
}

/**
 * A Dokku command built from typed values only, rendered for Dokku's SSH entry point:
 * - most commands are re-split by `xargs`, so every value is wrapped in '…' (a `'` as '"'"'), and newline/NUL refused;
 * - `git*` commands are word-split without quote removal, so their values are sent bare and must need no quoting;
 * - Dokku scans every word for --force/--quiet, so no value may begin with "-".
 */
export class DokkuCommand {
  private constructor(
    readonly subcommand: DokkuSubcommand,
    private readonly words: readonly Word[],
  ) {}

  static of(subcommand: DokkuSubcommand): DokkuCommand {
    if (!(DOKKU_SUBCOMMANDS as readonly string[]).includes(subcommand)) {
      throw new InvalidArgument('command', `"${String(subcommand)}" is not a Dokku command this server runs`);
    }
    return new DokkuCommand(subcommand, [{ text: subcommand, constant: true }]);
  }

  /** `--force apps:destroy <app>` (or `<type>:destroy`): global flags must precede the subcommand. */
  static forced(subcommand: 'apps:destroy' | `${ServiceType}:destroy`): DokkuCommand {
    const base = DokkuCommand.of(subcommand);
    return new DokkuCommand(subcommand, [{ text: '--force', constant: true }, ...base.words]);
  }

  flag(flag: DokkuFlag): DokkuCommand {
    if (!FLAGS.has(flag)) throw new InvalidArgument('flag', `"${String(flag)}" is not a flag this server adds`);
    return this.with({ text: flag, constant: true });
  }

  /** A fixed word of ours, e.g. the property name of `letsencrypt:set <app> email <address>`. */
  word(word: 'email'): DokkuCommand {
    return this.with({ text: word, constant: true });
  }

  /** `--format json`. */
  json(): DokkuCommand {
    return this.flag('--format').with({ text: 'json', constant: true });
  }

  /** `--status running` (builds:list). */
  runningOnly(): DokkuCommand {
    return this.flag('--status').with({ text: 'running', constant: true });
  }

  value(value: DokkuValue): DokkuCommand {
    if (!VALUE_TYPES.some((type) => value instanceof type)) {
      throw new InvalidArgument('value', 'Dokku commands take validated values only');
    }
    return this.with(this.checked(value.value));
  }

  int(n: number): DokkuCommand {
    if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgument('count', `must be a whole number >= 0; got ${n}`);
    return this.with({ text: String(n), constant: false });
  }

  /** `KEY=<base64>` for `config:set --encoded`: newlines and quotes in the value never reach a shell or xargs. */
  envPair(key: EnvKey, value: EnvValue): DokkuCommand {
    if (!(key instanceof EnvKey) || !(value instanceof EnvValue)) throw new InvalidArgument('value', 'config pairs must be validated');
    return this.with(this.checked(`${key.value}=${Buffer.from(value.value, 'utf8').toString('base64')}`));
  }

  /** `web=2` for `ps:scale`. */
  scalePair(type: ProcessType, count: number): DokkuCommand {
    if (!(type instanceof ProcessType)) throw new InvalidArgument('process_type', 'must be validated');
    if (!Number.isSafeInteger(count) || count < 0) throw new InvalidArgument('count', `must be a whole number >= 0; got ${count}`);
    return this.with(this.checked(`${type.value}=${count}`));
  }

  /** The words Dokku's own code receives (after its splitting). */
  get argv(): string[] {
    return this.words.map((w) => w.text);
  }

  /**
   * The command line sent over SSH. Refuses (LimitExceeded) a line over MAX_COMMAND_BYTES: checked here, where every
   * caller renders, so that no command too big for sshd is ever sent and drops the shared connection.
   */
  toString(): string {
    const line = this.words.map((w) => (w.constant || this.isGit ? w.text : quote(w.text))).join(' ');
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > MAX_COMMAND_BYTES) {
      const split = this.subcommand === 'config:set'
        ? 'Set the variables in several configure_app calls (each value travels base64-encoded, a third larger), or store large values elsewhere (a file or secret store) and put a reference in the config.'
        : 'Send fewer or shorter values per call.';
      throw new LimitExceeded(
        `The ${this.subcommand} command would be ${bytes.toLocaleString('en-US')} bytes, over the limit of ${MAX_COMMAND_BYTES.toLocaleString('en-US')} bytes for one Dokku command over SSH; nothing was sent.`,
        split,
      );
    }
    return line;
  }

  private get isGit(): boolean {
    return this.subcommand.startsWith('git');
  }

  private with(word: Word): DokkuCommand {
    return new DokkuCommand(this.subcommand, [...this.words, word]);
  }

  private checked(text: string): Word {
    if (text === '' || /[\n\r\0]/.test(text)) throw new InvalidArgument('value', 'values sent to Dokku may not be empty or contain line breaks or NUL');
    if (text.startsWith('-')) {
      throw new InvalidArgument('value', `values sent to Dokku may not begin with "-" (Dokku would read them as flags); got ${JSON.stringify(text.slice(0, 60))}`);
    }
    if (this.isGit && !BARE_SAFE.test(text)) {
      throw new InvalidArgument('value', `${this.subcommand} takes values without spaces, quotes or shell characters; got ${JSON.stringify(text.slice(0, 60))}`);
    }
    return { text, constant: false };
  }
}

/** xargs quoting: '…' groups a word; a `'` closes the group, is written inside "…", and the group reopens. */
export const quote = (text: string): string => `'${text.replace(/'/g, `'"'"'`)}'`;
