import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintOf, hostKeyPolicy, HostKeyRefused, knownHostEntries } from '../../../../src/adapters/outbound/ssh/host-key.js';
import type { SshOptions } from '../../../../src/adapters/outbound/ssh/ssh-options.js';

let dir: string;
let keyLine: string; // "ssh-ed25519 AAAA..."
let otherLine: string;
let fingerprint: string;

const blob = (line: string) => Buffer.from(line.split(' ')[1]!, 'base64');
const options = (extra: Partial<SshOptions>): SshOptions => ({
  host: '10.0.0.5', port: 2222, user: 'dokku', strictHostKey: true, maxChannels: 8,
  connectTimeoutMs: 1000, commandTimeoutMs: 1000, deployTimeoutMs: 1000, keepaliveIntervalMs: 1000, ...extra,
});
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-key-test-'));
  for (const name of ['a', 'b']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, name)]);
  keyLine = fs.readFileSync(path.join(dir, 'a.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  otherLine = fs.readFileSync(path.join(dir, 'b.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  fingerprint = execFileSync('ssh-keygen', ['-lf', path.join(dir, 'a.pub')], { encoding: 'utf8' }).split(' ')[1]!;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('host key verification', () => {
  it("computes the same fingerprint as ssh-keygen", () => {
    expect(fingerprintOf(blob(keyLine))).toBe(fingerprint);
  });

  it('accepts the pinned fingerprint and refuses another key, naming a possible MITM', () => {
    const policy = hostKeyPolicy(options({ hostKeyFingerprint: fingerprint }), '10.0.0.5:2222');
    expect(policy.verify(blob(keyLine))).toBe(true);
    expect(policy.verify(blob(otherLine))).toBe(false);
    expect(policy.refusal()).toMatch(/does not match ssh.host_key_fingerprint.*man-in-the-middle/);
  });

  it('matches [host]:port entries, and bare host entries only for port 22', () => {
    const file = write('kh1', `10.0.0.5 ${otherLine}\n[10.0.0.5]:2222 ${keyLine}\n`);
    expect(knownHostEntries(file, '10.0.0.5', 2222).accepted.map((e) => e.key)).toEqual([blob(keyLine)]);
    expect(knownHostEntries(file, '10.0.0.5', 22).accepted.map((e) => e.key)).toEqual([blob(otherLine)]);
  });

  it('matches hashed entries written by ssh-keygen -H', () => {
    const file = write('kh2', `[10.0.0.5]:2222 ${keyLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    const policy = hostKeyPolicy(options({ knownHosts: file }), '10.0.0.5:2222');
    expect(policy.verify(blob(keyLine))).toBe(true);
    expect(policy.verify(blob(otherLine))).toBe(false);
    expect(policy.algorithms).toEqual(['ssh-ed25519']);
  });

  it('honours comma lists, wildcards, negation and @revoked', () => {
    const file = write('kh3', `[other]:2222,[10.0.0.*]:2222,![10.0.0.9]:2222 ${keyLine}\n@revoked * ${otherLine}\n`);
    expect(knownHostEntries(file, '10.0.0.5', 2222).accepted).toHaveLength(1);
    expect(knownHostEntries(file, '10.0.0.9', 2222).accepted).toHaveLength(0);
    const policy = hostKeyPolicy(options({ knownHosts: file }), '10.0.0.5:2222');
    expect(policy.verify(blob(otherLine))).toBe(false);
    expect(policy.refusal()).toMatch(/@revoked/);
  });

  it('refuses up front when known_hosts does not list the host, saying how to add it', () => {
    const file = write('kh4', `[elsewhere]:22 ${keyLine}\n`);
    expect(() => hostKeyPolicy(options({ knownHosts: file }), '10.0.0.5:2222')).toThrow(/not listed.*ssh-keyscan -p 2222 10.0.0.5/);
  });

  it('refuses without a pin unless strictHostKey is false', () => {
    expect(() => hostKeyPolicy(options({}), '10.0.0.5:2222')).toThrow(HostKeyRefused);
    expect(() => hostKeyPolicy(options({}), '10.0.0.5:2222')).toThrow(/ssh-keyscan -p 2222 10.0.0.5 \| ssh-keygen -lf -/);
    const loose = hostKeyPolicy(options({ strictHostKey: false }), '10.0.0.5:2222');
    expect(loose.verified).toBe(false);
    expect(loose.verify(blob(otherLine))).toBe(true);
  });
});
