/**
 * Random inputs for the Dokku command builder (fast-check), what each should become, and how to build it. Shared by
 * the pure quoting property and the one against the real sshd and stand-in. Values are forged (value objects that
 * skipped their own validation) so the builder's own last line of defence is what is tested.
 */
import fc from 'fast-check';
import { DokkuCommand, MAX_COMMAND_BYTES, type DokkuFlag, type DokkuSubcommand } from '../../src/adapters/outbound/ssh/dokku-command.js';
import { AppName } from '../../src/domain/app-name.js';
import { DomainName, EnvKey, EnvValue, GitRef, GitUrl, ImageRef, ProcessType } from '../../src/domain/dokku-values.js';

const VALUE_TYPES = { AppName, ProcessType, EnvKey, DomainName, GitUrl, GitRef, ImageRef } as const;
type ValueType = keyof typeof VALUE_TYPES;

export const forged = <T extends object>(type: { prototype: T }, value: string): T => Object.assign(Object.create(type.prototype), { value });

export type Word =
  | { readonly kind: 'value'; readonly type: ValueType; readonly text: string }
  | { readonly kind: 'flag'; readonly flag: DokkuFlag }
  | { readonly kind: 'int'; readonly n: number }
  | { readonly kind: 'env'; readonly key: string; readonly value: string }
  | { readonly kind: 'scale'; readonly type: string; readonly count: number };

export interface CommandSpec {
  readonly subcommand: DokkuSubcommand;
  readonly words: readonly Word[];
}

/** Characters that mean something to a shell, xargs, echo or Dokku's argument scan. */
const NASTY = ["'", '"', '\\', ' ', '\t', '$(id)', '`id`', ';', '|', '&', '*', '?', '[', ']', '~', '#', '%', '{', '}', '<', '>', '!', '=', ',',
  '--force', '-n', '-e', '--help', '\n', '\r', '\0', '\v', '\f', 'é', '✓', '🚀', '日本'];
/** The characters git* values may hold (sent bare), and more. */
const BARE = 'abcxyz0189._~:/@%+=,#-';

export const valueText = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme-ascii', maxLength: 4 })), { maxLength: 8 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...BARE), minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

const FLAGS: DokkuFlag[] = ['--format', '--num', '--ps', '--global', '--no-restart', '--encoded', '--build', '--tail'];
const word: fc.Arbitrary<Word> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('value' as const), type: fc.constantFrom(...(Object.keys(VALUE_TYPES) as ValueType[])), text: valueText }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flag' as const), flag: fc.constantFrom(...FLAGS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('int' as const), n: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER + 1, NaN, -0)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('env' as const), key: fc.oneof(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), valueText), value: fc.string({ unit: 'binary', maxLength: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('scale' as const), type: fc.oneof(fc.constantFrom('web', 'worker'), valueText), count: fc.oneof(fc.nat(20), fc.integer({ min: -3, max: 3 })) }) },
);

/** Subcommands the stand-in answers fast (its resident daemon serves reads with one value); git:sync goes bare. */
export const XARGS_SUBCOMMANDS: DokkuSubcommand[] = ['apps:exists', 'apps:report', 'config:export', 'domains:report', 'ps:report'];

export const commandSpec = (subcommands: readonly DokkuSubcommand[] = [...XARGS_SUBCOMMANDS, 'git:sync']): fc.Arbitrary<CommandSpec> =>
  fc.record({ subcommand: fc.constantFrom(...subcommands), words: fc.array(word, { minLength: 1, maxLength: 3 }) });

/** Builds the command as an adapter would: throws the builder's refusal (InvalidArgument or LimitExceeded). */
export function build(spec: CommandSpec): DokkuCommand {
  let command = DokkuCommand.of(spec.subcommand);
  for (const w of spec.words) {
    if (w.kind === 'value') command = command.value(forged(VALUE_TYPES[w.type] as { prototype: object }, w.text) as never);
    else if (w.kind === 'flag') command = command.flag(w.flag);
    else if (w.kind === 'int') command = command.int(w.n);
    else if (w.kind === 'env') command = command.envPair(forged(EnvKey, w.key), forged(EnvValue, w.value));
    else command = command.scalePair(forged(ProcessType, w.type), w.count);
  }
  command.toString(); // the size check, where every caller renders
  return command;
}

const BARE_SAFE = /^[A-Za-z0-9._~:/@%+=,#-]+$/;

/**
 * What the spec should become, written from the builder's documented rules and not from its code: the argv Dokku's
 * own code receives, or why it must be refused (nothing sent).
 */
export function intended(spec: CommandSpec): { argv: string[] } | { refused: string } {
  const git = spec.subcommand.startsWith('git');
  const argv: string[] = [spec.subcommand];
  const outside = (text: string): string | undefined => {
    if (text === '' || /[\n\r\0]/.test(text)) return 'empty, or a line break or NUL';
    if (text.startsWith('-')) return 'begins with "-"';
    if (git && !BARE_SAFE.test(text)) return 'needs quoting in a git* command';
    return undefined;
  };
  for (const w of spec.words) {
    let text: string;
    if (w.kind === 'flag') {
      argv.push(w.flag);
      continue;
    }
    if (w.kind === 'int') {
      if (!Number.isSafeInteger(w.n) || w.n < 0) return { refused: 'not a whole number >= 0' };
      text = String(w.n);
      argv.push(text);
      continue;
    }
    if (w.kind === 'value') text = w.text;
    else if (w.kind === 'env') text = `${w.key}=${Buffer.from(w.value, 'utf8').toString('base64')}`;
    else {
      if (!Number.isSafeInteger(w.count) || w.count < 0) return { refused: 'not a whole number >= 0' };
      text = `${w.type}=${w.count}`;
    }
    const why = outside(text);
    if (why) return { refused: why };
    argv.push(text);
  }
  const quoted = argv.map((word, i) => (i === 0 || git || FLAGS.includes(word as DokkuFlag) ? word : `'${word.replace(/'/g, `'"'"'`)}'`));
  if (Buffer.byteLength(quoted.join(' '), 'utf8') > MAX_COMMAND_BYTES) return { refused: 'too long' };
  return { argv };
}
