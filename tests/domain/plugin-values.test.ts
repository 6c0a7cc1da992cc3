import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { InvalidArgument } from '../../src/domain/domain-errors.js';
import { EmailAddress } from '../../src/domain/letsencrypt.js';
import { dsnPassword, maskDsn, ServiceName, serviceType } from '../../src/domain/service.js';
import { looksLikePrivateKey, PublicKey, SshKeyName } from '../../src/domain/ssh-key.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJV1GKIxVeDoCilcoYJ1Kobv70IVQnoMoo1mMRaH0dz6';
const OPENSSH_PRIVATE = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACCVdRiiMVXg6AopXKGCdSqG7+9CFUJ6DKKNZjEWh9Hc+gAAAJBx3Xd8cd13',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgument);
    return `${(error as InvalidArgument).message} ${(error as InvalidArgument).hint}`;
  }
  throw new Error('expected InvalidArgument');
};

describe('service names and types', () => {
  it('takes the plugins\' characters (letters, digits, _ and -) and refuses the rest, saying the rule', () => {
    for (const ok of ['db', 'shop-db', 'shop_db', 'DB1', '_x']) expect(ServiceName.of(ok).value).toBe(ok);
    for (const bad of ['', 'd.erp', 'a b', '-force', "x'y", 'é', 'x'.repeat(49)]) {
      expect(messageOf(() => ServiceName.of(bad))).toContain('a service name is letters, digits, "_" and "-"');
    }
  });

  it('takes the five plugin types only', () => {
    expect(serviceType('mongo')).toBe('mongo');
    expect(messageOf(() => serviceType('sqlite'))).toContain('one of postgres, mysql, mariadb, redis, mongo');
  });
});

describe('DSNs', () => {
  it.each([
    ['postgres://postgres:abc123@dokku-postgres-db:5432/db', 'postgres://postgres:********@dokku-postgres-db:5432/db', 'abc123'],
    ['mysql://mariadb:p4ss@dokku-mariadb-x:3306/x', 'mysql://mariadb:********@dokku-mariadb-x:3306/x', 'p4ss'],
    ['redis://:s3cr3t@dokku-redis-cache:6379', 'redis://:********@dokku-redis-cache:6379', 's3cr3t'],
    ['mongodb://db:pw@dokku-mongo-db:27017/db', 'mongodb://db:********@dokku-mongo-db:27017/db', 'pw'],
  ])('masks the password of %s, keeping the rest', (dsn, masked, password) => {
    expect(maskDsn(dsn)).toBe(masked);
    expect(dsnPassword(dsn)).toBe(password);
  });
});

describe('public keys', () => {
  it('takes a .pub line, with or without a comment', () => {
    expect(PublicKey.of(`${ED25519} alice@laptop`).value).toBe(`${ED25519} alice@laptop`);
    expect(PublicKey.of(`  ${ED25519}\n`).value).toBe(ED25519);
  });

  it('takes what ssh-keygen makes, of every common type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dokku-mcp-keys-'));
    try {
      for (const [type, bits] of [['rsa', '2048'], ['ecdsa', '256'], ['ed25519', '256']]) {
        execFileSync('ssh-keygen', ['-q', '-t', type!, '-b', bits!, '-N', '', '-f', join(dir, type!)]);
        const line = readFileSync(join(dir, `${type}.pub`), 'utf8');
        expect(PublicKey.of(line).value).toBe(line.trim());
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a private key, armoured or not, naming the fix and never the key', () => {
    const body = OPENSSH_PRIVATE.split('\n')[1]!;
    for (const given of [OPENSSH_PRIVATE, OPENSSH_PRIVATE.split('\n').slice(1, -1).join('\n'), 'PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1']) {
      expect(looksLikePrivateKey(given)).toBe(true);
      const text = messageOf(() => PublicKey.of(given));
      expect(text).toContain('this is a private key, not a public one; it was not sent to the host');
      expect(text).toContain('ssh-keygen -y -f');
      expect(text).not.toContain(body);
    }
  });

  it('refuses a body that is not a key of its type (truncated, another type), without echoing it', () => {
    for (const bad of [ED25519.slice(0, -8), ED25519.replace('ssh-ed25519', 'ssh-rsa'), 'ssh-dss AAAA', `command="x" ${ED25519}`, `${ED25519}\n${ED25519}`]) {
      expect(messageOf(() => PublicKey.of(bad))).toContain('(it is not repeated here)');
    }
    fc.assert(fc.property(fc.string({ minLength: 12 }), (text) => {
      let message = '';
      try { PublicKey.of(text); } catch (error) { message = (error as Error).message; }
      return message === '' || !message.includes(text.trim());
    }));
  });

  it('key names: what sshcommand can file and find again', () => {
    expect(SshKeyName.of('alice.laptop@home').value).toBe('alice.laptop@home');
    for (const bad of ['', '-x', 'a"b', 'a b', 'x'.repeat(65)]) expect(messageOf(() => SshKeyName.of(bad))).toContain('a key name is');
  });
});

describe('email addresses', () => {
  it('takes an address, refuses what is not one', () => {
    expect(EmailAddress.of(' ops@example.com ').value).toBe('ops@example.com');
    for (const bad of ['ops', 'ops@', '@example.com', 'a b@example.com', "o'p@example.com", '-x@example.com']) {
      expect(messageOf(() => EmailAddress.of(bad))).toContain('an email address such as');
    }
  });
});
