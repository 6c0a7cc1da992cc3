import { dokkuFailure, dokkuMessage } from '../../../../src/adapters/outbound/ssh/ssh-errors.js';
import {
  AppAlreadyExists,
  AppNotFound,
  Conflict,
  DokkuCommandFailed,
  HostUnreachable,
  NotDeployed,
} from '../../../../src/domain/domain-errors.js';
import { Sanitizer } from '../../../../src/domain/sanitizer.js';

const context = { command: 'apps:create', app: 'shop', target: 'dokku.example.com:22', sanitizer: new Sanitizer() };
const result = (code: number | null, stderr: string, stdout = '') => ({ code, stderr, stdout });

describe('dokkuFailure', () => {
  it('maps exit 20 and "does not exist" to AppNotFound', () => {
    expect(dokkuFailure(result(20, ' !     App shop does not exist\n'), context)).toBeInstanceOf(AppNotFound);
    expect(dokkuFailure(result(1, ' !     App other does not exist\n'), { ...context, app: undefined })).toMatchObject({
      code: 'APP_NOT_FOUND',
      app: 'other',
    });
  });

  it('maps "has not been deployed" to NotDeployed', () => {
    expect(dokkuFailure(result(1, ' !     App shop has not been deployed\n'), context)).toBeInstanceOf(NotDeployed);
  });

  it('maps "Name is already taken" to AppAlreadyExists', () => {
    expect(dokkuFailure(result(1, ' !     Name is already taken\n'), context)).toBeInstanceOf(AppAlreadyExists);
  });

  it('maps a deploy lock to Conflict', () => {
    const error = dokkuFailure(result(1, ' !     shop currently has a deploy lock in place. Exiting...\n'), context);
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).hint).toMatch(/Wait/);
  });

  it('maps exit 255 to HostUnreachable naming host:port', () => {
    const error = dokkuFailure(result(255, 'ssh: connect to host'), context);
    expect(error).toBeInstanceOf(HostUnreachable);
    expect(error.message).toContain('dokku.example.com:22');
  });

  it("maps anything else to DokkuCommandFailed with Dokku's own message, prefixes stripped and sanitized", () => {
    const error = dokkuFailure(
      result(1, '\x1b[31m !     Invalid env pair: TOKEN=abc123secretvalue\x1b[0m\n !     See `dokku help`\n'),
      { ...context, command: 'config:set' },
    ) as DokkuCommandFailed;
    expect(error).toBeInstanceOf(DokkuCommandFailed);
    expect(error.exitCode).toBe(1);
    expect(error.command).toBe('config:set');
    expect(error.dokkuMessage).toBe('Invalid env pair: TOKEN=[REDACTED]\nSee `dokku help`');
    expect(error.stack).toBeDefined();
    expect(error.message).not.toContain('abc123secretvalue');
  });

  it('falls back to stdout when stderr is empty', () => {
    expect(dokkuMessage({ stdout: '-----> oops\n', stderr: '' })).toBe('-----> oops');
  });
});
