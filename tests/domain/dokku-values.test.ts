import { boundedInt, DomainName, EnvKey, EnvValue, GitRef, GitUrl, ImageRef, ProcessType } from '../../src/domain/dokku-values.js';
import { InvalidArgument } from '../../src/domain/domain-errors.js';

/** Values no kind may accept: option injection, shell metacharacters, quoting. */
const HOSTILE = ['-n', '--force', 'a b', "it's", 'say "hi"', '$(id)', '`id`', 'a;b', 'a|b', 'a\nb'];

describe('ProcessType', () => {
  test.each(['web', 'worker', 'release_2', 'Clock-1', '0web'])('accepts %p', (raw) => expect(ProcessType.of(raw).value).toBe(raw));
  test.each(['', '-web', '_web', 'web.1', ...HOSTILE, 'x'.repeat(64)])('refuses %p', (raw) => {
    expect(() => ProcessType.of(raw)).toThrow(InvalidArgument);
  });
  test('states the rule', () => expect(() => ProcessType.of('web.1')).toThrow(ProcessType.RULE));
});

describe('EnvKey', () => {
  test.each(['DATABASE_URL', '_PRIVATE', 'a1', 'x'.repeat(256)])('accepts %p', (raw) => expect(EnvKey.of(raw).value).toBe(raw));
  test.each(['', '1ABC', 'MY-KEY', 'A.B', 'A=B', ...HOSTILE, 'x'.repeat(257)])('refuses %p', (raw) => {
    expect(() => EnvKey.of(raw)).toThrow(InvalidArgument);
  });
});

describe('EnvValue', () => {
  test.each(['', ' spaced ', "it's \"quoted\"", '$(id) `id`', 'line1\nline2', 'héllo ✓ 🚀', '--force'])('keeps %p exactly', (raw) => {
    expect(EnvValue.of(raw).value).toBe(raw);
  });
  test('refuses NUL and values over 64 KiB', () => {
    expect(() => EnvValue.of('a\0b')).toThrow(/NUL/);
    expect(() => EnvValue.of('x'.repeat(64 * 1024 + 1))).toThrow(/64 KiB/);
    expect(EnvValue.of('x'.repeat(64 * 1024)).value).toHaveLength(64 * 1024);
    // The bound is in UTF-8 bytes, as the value travels: 30,000 "€" are 90,000 bytes.
    expect(() => EnvValue.of('€'.repeat(30_000))).toThrow(/65536 bytes in UTF-8/);
  });
});

describe('DomainName', () => {
  test.each([
    ['www.example.com', 'www.example.com'],
    ['WWW.Example.COM', 'www.example.com'],
    ['*.example.com', '*.example.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['localhost', 'localhost'],
  ])('accepts %p as %p', (raw, value) => expect(DomainName.of(raw).value).toBe(value));
  test.each(['', '-example.com', 'example-.com', 'exa mple.com', 'a..b', 'a_b.com', 'http://x.com', '*.*.com', `${'a'.repeat(64)}.com`, ...HOSTILE])(
    'refuses %p',
    (raw) => expect(() => DomainName.of(raw)).toThrow(InvalidArgument),
  );
});

describe('GitUrl', () => {
  test.each([
    'https://github.com/heroku/node-js-getting-started.git',
    'https://gitlab.example.com:8443/group/app',
    'ssh://git@github.com/org/repo.git',
    'git@github.com:org/repo.git',
  ])('accepts %p', (raw) => expect(GitUrl.of(raw).value).toBe(raw));
  test.each([
    '-uhttps://github.com/x/y',
    '--upload-pack=touch /tmp/x',
    'file:///home/dokku/other-app',
    '/home/dokku/other-app',
    './repo',
    '../other-app',
    'http://github.com/x/y.git',
    'https://github.com/x/../../y',
    'https://github.com/x/y z',
    "https://github.com/x/y'",
    'https://github.com/x/$(id)',
    'https://github.com/x/`id`',
    'git@github.com:/etc/passwd',
    'ext::sh -c touch% /tmp/pwned',
  ])('refuses %p', (raw) => expect(() => GitUrl.of(raw)).toThrow(InvalidArgument));
  test('states the rule', () => expect(() => GitUrl.of('/srv/repo')).toThrow(/no local paths, no file:\/\//));
});

describe('GitRef', () => {
  test.each(['main', 'v1.2.3', 'feature/login', '0123456789abcdef0123456789abcdef01234567', 'release_2'])('accepts %p', (raw) => {
    expect(GitRef.of(raw).value).toBe(raw);
  });
  test.each(['-main', '--force', '.hidden', 'a..b', 'a//b', 'branch.lock', 'branch/', 'branch.', 'a b', ...HOSTILE])('refuses %p', (raw) => {
    expect(() => GitRef.of(raw)).toThrow(InvalidArgument);
  });
});

describe('ImageRef', () => {
  test.each(['nginx', 'nginx:1.27', 'ghcr.io/org/app:v2', `ghcr.io/org/app@sha256:${'a'.repeat(64)}`, 'registry.example.com:5000/team/api:latest'])(
    'accepts %p',
    (raw) => expect(ImageRef.of(raw).value).toBe(raw),
  );
  test.each(['-nginx', '--force', 'Nginx', 'nginx latest', 'nginx;id', "nginx'", '$(id)', '/var/lib/image', 'nginx:', 'nginx@', 'acme//api', ...HOSTILE])('refuses %p', (raw) => {
    expect(() => ImageRef.of(raw)).toThrow(InvalidArgument);
  });
  test.each([
    'dokku/other-app', 'dokku/other-app:latest', 'dokku', 'docker.io/dokku/other-app',
    // the same local image, by every name Docker resolves to it
    'index.docker.io/dokku/api:latest', 'docker.io/dokku/api:latest', 'registry-1.docker.io/dokku/api:latest',
    `docker.io/dokku/api@sha256:${'b'.repeat(64)}`, 'dokku/api:latest@sha256:' + 'c'.repeat(64),
    'docker.io/library/dokku', 'index.docker.io/library/dokku:1', 'library/dokku:latest',
  ])('refuses Dokku\'s own image %p', (raw) => {
    expect(() => ImageRef.of(raw)).toThrow(/"dokku\/" namespace/);
  });
  test.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['index.docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['registry-1.docker.io/acme/api', 'docker.io/acme/api:latest'],
    ['acme/api:v2', 'docker.io/acme/api:v2'],
    ['registry.example.com:5000/team/api', 'registry.example.com:5000/team/api:latest'],
    ['localhost/dokku/api', 'localhost/dokku/api:latest'], // another registry, so another image
    [`ghcr.io/org/app@sha256:${'a'.repeat(64)}`, `ghcr.io/org/app@sha256:${'a'.repeat(64)}`],
  ])('normalizes %p as Docker does: %p', (raw, normalized) => {
    expect(ImageRef.of(raw).normalized).toBe(normalized);
  });
  test.each(['localhost:5000/dokku/api', 'ghcr.io/dokku/api:1', 'acme/dokku', 'dokkuish/api'])('accepts %p (not Docker Hub\'s dokku/ namespace)', (raw) => {
    expect(ImageRef.of(raw).value).toBe(raw);
  });
});

describe('boundedInt', () => {
  test('accepts whole numbers within the bounds', () => {
    expect(boundedInt(0, 'n', 0, 100)).toBe(0);
    expect(boundedInt(100, 'n', 0, 100)).toBe(100);
  });
  test.each([-1, 101, 1.5, Number.NaN, '2', null])('refuses %p', (raw) => {
    expect(() => boundedInt(raw, 'processes.web', 0, 100)).toThrow(/processes\.web.*whole number from 0 to 100/);
  });
});
