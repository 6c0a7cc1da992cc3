import { describeDomainError } from '../../../../src/adapters/inbound/mcp/error-mapper.js';
import { AppNotFound, InvalidArgument } from '../../../../src/domain/domain-errors.js';

describe('describeDomainError', () => {
  it('states the problem as a sentence, then the fix', () => {
    expect(describeDomainError(new InvalidArgument('app_name', 'got "Node_App"'))).toBe(
      'Invalid app_name: got "Node_App". Fix "app_name" and call again.',
    );
    expect(describeDomainError(new AppNotFound('foo'))).toBe('App "foo" does not exist. Call list_apps to see the apps on this host.');
  });
});
