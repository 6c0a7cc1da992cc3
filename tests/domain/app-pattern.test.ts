import fc from 'fast-check';
import { AppName } from '../../src/domain/app-name.js';
import { AppPattern } from '../../src/domain/app-pattern.js';
import { InvalidArgument } from '../../src/domain/domain-errors.js';

const overlap = (a: string, b: string) => AppPattern.of(a).overlapWith(AppPattern.of(b));

/** Every string over `alphabet` up to `max` characters: the brute-force answer to "do they share a name?". */
function* strings(alphabet: readonly string[], max: number): Generator<string> {
  let level = [''];
  yield '';
  for (let n = 1; n <= max; n++) {
    level = level.flatMap((s) => alphabet.map((c) => s + c));
    yield* level;
  }
}

describe('AppPattern', () => {
  test.each([
    ['shop-*', 'shop-web', true],
    ['shop-*', 'shop-', true],
    ['shop-*', 'shopx', false],
    ['billing', 'billing', true],
    ['billing', 'billing-2', false],
    ['*-api', 'a.b-api', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['v1.*', 'v1x', false], // "." is a literal, not a regex wildcard
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(AppPattern.of(pattern).matches(name)).toBe(expected);
  });

  test.each(['', '-shop', '.shop', 'Shop-*', 'shop_*', 'shop?', 'sh op'])('refuses %j, naming the rule', (raw) => {
    expect(() => AppPattern.of(raw, 'tenants.shop.apps[0]')).toThrow(InvalidArgument);
    expect(() => AppPattern.of(raw, 'tenants.shop.apps[0]')).toThrow(/tenants\.shop\.apps\[0\].*only \* is special/);
  });

  test.each([
    ['shop-*', 'shop-a*', true],
    ['shop-*', 'billing', false],
    ['shop-*', '*-web', true],
    ['billing', 'billing', true],
    ['billing', 'billing*', true],
    ['a*', 'b*', false],
    ['*a', '*b', false],
    ['*', 'x', true],
    ['a*c', 'ab*', true],
    ['ab*', '*ba', true],
    ['a-*', '*-b', true],
  ])('%s and %s overlap: %s', (a, b, expected) => {
    expect(overlap(a, b) !== undefined).toBe(expected);
  });

  test('the witness of an overlap is a valid app name both match', () => {
    expect(overlap('shop-*', 'shop-a*')).toBe('shop-a');
    expect(overlap('*-a', '*-a')).toMatch(/^[a-z0-9]/);
  });

  // Patterns over a small alphabet, so that the brute force below is exhaustive: a common name, if any, is at most as
  // long as the two patterns' literals together (the algorithm's witness is built from them).
  const pattern = fc
    .array(fc.constantFrom('a', 'b', '-', '*'), { minLength: 1, maxLength: 5 })
    .map((chars) => chars.join(''))
    .filter((p) => /^[a-z0-9*]/.test(p));

  test('overlap agrees with a brute-force search over every short name', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const p = AppPattern.of(a);
        const q = AppPattern.of(b);
        const literals = a.replace(/\*/g, '').length + b.replace(/\*/g, '').length;
        let common: string | undefined;
        for (const name of strings(['a', 'b', '-'], literals + 1)) {
          if (AppName.isValid(name) && p.matches(name) && q.matches(name)) {
            common = name;
            break;
          }
        }
        const witness = p.overlapWith(q);
        expect(witness !== undefined).toBe(common !== undefined);
        if (witness !== undefined) {
          expect(AppName.isValid(witness)).toBe(true);
          expect(p.matches(witness) && q.matches(witness)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('overlap is symmetric', () => {
    fc.assert(fc.property(pattern, pattern, (a, b) => expect(overlap(a, b) !== undefined).toBe(overlap(b, a) !== undefined)));
  });

  test('two patterns made from one name by replacing parts with * always overlap', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,11}$/);
    const starred = (n: string) =>
      fc.array(fc.boolean(), { minLength: n.length, maxLength: n.length }).map((stars) =>
        [...n].map((c, i) => (stars[i] && i > 0 ? '*' : c)).join('').replace(/\*+/g, '*'),
      );
    fc.assert(
      fc.property(name.chain((n) => fc.tuple(fc.constant(n), starred(n), starred(n))), ([n, a, b]) => {
        expect(AppPattern.of(a).matches(n) && AppPattern.of(b).matches(n)).toBe(true);
        expect(overlap(a, b)).toBeDefined();
      }),
    );
  });
});
