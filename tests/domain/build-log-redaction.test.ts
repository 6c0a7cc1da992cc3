import { BuildLog } from '../../src/domain/build-log.js';
import { configLiterals } from '../../src/domain/config-literals.js';
import { REDACTED, Sanitizer } from '../../src/domain/sanitizer.js';
import { FORMATTED_SECRETS } from '../support/secret-forms.js';

/**
 * Issue 14: build output arrives in chunks that split lines (and escape codes, and CRLFs) anywhere. Whatever the
 * split points, the stored log is the same as for the output in one piece, and shows none of the secrets.
 */
const CONFIG = { STRIPE_WEBHOOK: 'whsec_51Hx9Zq', RAILS_MASTER_KEY: 'c0ffee42', SIGNING_CERT: 'first line of cert AAAA\n  second line BBBB ' };
const KEY_BODY = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo', '4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onL'];
const TRANSCRIPT = [
  '-----> Building api from herokuish',
  '\x1b[1m-----> Setting config vars\x1b[0m',
  '       STRIPE_WEBHOOK:  whsec_51Hx9Zq',
  '       SIGNING_CERT:    first line of cert AAAA',
  'second line BBBB',
  'remote: master key c0ffee42',
  '-----BEGIN EC PRIVATE KEY-----',
  ...KEY_BODY,
  '-----END EC PRIVATE KEY-----',
  ...FORMATTED_SECRETS.map(([input]) => input),
  '=====> Application deployed',
].map((line, i) => `${line}${i % 3 === 0 ? '\r\n' : '\n'}`).join('');
const SECRETS = ['whsec_51Hx9Zq', 'c0ffee42', 'first line of cert AAAA', 'second line BBBB', ...KEY_BODY];

const sanitizer = new Sanitizer().withSecrets(configLiterals(CONFIG));
function store(chunks: readonly string[]): string {
  const log = new BuildLog({ maxBytes: 1024 * 1024, redact: sanitizer.lineByLine() });
  for (const chunk of chunks) log.append(chunk);
  log.close();
  return log.readAll();
}
const WHOLE = store([TRANSCRIPT]);

describe('BuildLog with the sanitizer: redaction whatever the chunk boundaries (issue 14)', () => {
  test('in one piece: no secret, each formatted form as the sanitizer redacts it; lines without secrets keep their colours', () => {
    expect(SECRETS.filter((s) => WHOLE.includes(s))).toEqual([]);
    for (const [, out] of FORMATTED_SECRETS) expect(WHOLE).toContain(`${out}\n`);
    expect(WHOLE).toContain(`-----BEGIN EC PRIVATE KEY-----\n${REDACTED}\n${REDACTED}\n${REDACTED}-----END EC PRIVATE KEY-----\n`);
    expect(WHOLE).toContain('\x1b[1m-----> Setting config vars\x1b[0m\n');
  });

  test('split in two at every point', () => {
    for (let at = 0; at <= TRANSCRIPT.length; at++) {
      const stored = store([TRANSCRIPT.slice(0, at), TRANSCRIPT.slice(at)]);
      if (stored !== WHOLE) expect({ at, stored }).toEqual({ at, stored: WHOLE });
    }
  });

  test('split into many chunks of varying sizes (deterministic pseudo-random, 200 runs)', () => {
    let seed = 14;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let run = 0; run < 200; run++) {
      const chunks: string[] = [];
      for (let at = 0; at < TRANSCRIPT.length; ) {
        const size = 1 + (next() % 40);
        chunks.push(TRANSCRIPT.slice(at, at + size));
        at += size;
      }
      const stored = store(chunks);
      if (stored !== WHOLE) expect({ run, chunks, stored }).toEqual({ run, chunks, stored: WHOLE });
    }
  });
});
