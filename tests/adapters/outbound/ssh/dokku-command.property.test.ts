/**
 * The command builder's quoting, over many random inputs (fast-check, pure): every input is either refused or renders
 * to a line that GNU xargs (what Dokku re-splits most commands with) or plain word splitting (git*) turns back into
 * exactly the intended words. The xargs reading is checked against the real xargs binary, in both the C and the
 * UTF-8 locale, on one batch; the same builder against the real sshd and stand-in is dokku-command.property.sshd.test.ts.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { commandSpec, build, intended, XARGS_SUBCOMMANDS, type CommandSpec } from '../../../support/dokku-command-specs.js';

/** GNU xargs' reading of a line: blanks and newlines separate; '…' and "…" group literally; a backslash escapes. */
function xargsWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new Error('unmatched quote');
  if (word !== undefined) words.push(word);
  return words;
}

/** The outcome of building a spec: the rendered line and the argv, or the refusal's class. */
function outcome(spec: CommandSpec): { line: string; argv: string[] } | { refused: string } {
  try {
    const command = build(spec);
    return { line: command.toString(), argv: command.argv };
  } catch (error) {
    return { refused: (error as Error).constructor.name };
  }
}

describe('DokkuCommand quoting (pure, many runs)', () => {
  it('refuses exactly the inputs its rules refuse, and otherwise renders a line that splits back into the intended words', () => {
    fc.assert(
      fc.property(commandSpec(), (spec) => {
        const want = intended(spec);
        const got = outcome(spec);
        if ('refused' in want) {
          expect({ want: want.refused, got: 'refused' in got ? 'refused' : got }).toEqual({ want: want.refused, got: 'refused' });
          expect(['InvalidArgument', 'LimitExceeded']).toContain((got as { refused: string }).refused);
          return;
        }
        if ('refused' in got) throw new Error(`refused ${JSON.stringify(spec)} (${got.refused}); it should be ${JSON.stringify(want.argv)}`);
        expect(got.argv).toEqual(want.argv);
        const split = spec.subcommand.startsWith('git') ? got.line.split(/[ \t\n]+/) : xargsWords(got.line);
        expect(split).toEqual(want.argv);
      }),
      { numRuns: 5000 },
    );
  });

  it.each(['C', 'C.UTF-8'])('the model of xargs agrees with the real GNU xargs (LC_ALL=%s) on a batch of rendered lines', (locale) => {
    const accepted = fc.sample(commandSpec(XARGS_SUBCOMMANDS), { numRuns: 1500, seed: 42 }).map(outcome).filter((o): o is { line: string; argv: string[] } => 'line' in o);
    expect(accepted.length).toBeGreaterThan(300);
    const input = accepted.map((o) => o.line).join('\n');
    const run = spawnSync('xargs', ['printf', '%s\\0'], { input, env: { PATH: process.env.PATH ?? '', LC_ALL: locale }, maxBuffer: 64 * 1024 * 1024 });
    expect(run.stderr.toString()).toBe('');
    const real = run.stdout.toString('utf8').split('\0').slice(0, -1);
    expect(real).toEqual(accepted.flatMap((o) => xargsWords(o.line)));
    expect(real).toEqual(accepted.flatMap((o) => o.argv));
  });
});
