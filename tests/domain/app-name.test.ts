import { APP_NAME_RULE, AppName } from '../../src/domain/app-name.js';
import { InvalidArgument } from '../../src/domain/domain-errors.js';

describe('AppName', () => {
  test.each(['node-js-app', 'a', '0day', 'my.app-2', 'x'.repeat(200)])('accepts %p', (raw) => {
    expect(AppName.of(raw).value).toBe(raw);
    expect(AppName.isValid(raw)).toBe(true);
  });

  test.each(['', 'My-App', '-app', '.app', 'app_name', 'app name', 'app/x', '$(id)', "app'", 'x'.repeat(201), 'ünï'])('refuses %p', (raw) => {
    expect(() => AppName.of(raw)).toThrow(InvalidArgument);
    expect(AppName.isValid(raw)).toBe(false);
  });

  test('the error states Dokku\'s rule and names the field', () => {
    try {
      AppName.of('Bad_Name', 'app');
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgument);
      const invalid = error as InvalidArgument;
      expect(invalid.field).toBe('app');
      expect(invalid.code).toBe('INVALID_ARGUMENT');
      expect(invalid.message).toContain(APP_NAME_RULE);
      expect(invalid.message).toContain('"Bad_Name"');
      expect(invalid.hint).toContain('app');
    }
  });

  test('an empty name says so', () => {
    expect(() => AppName.of('')).toThrow(/empty name/);
  });

  test('equality is by value', () => {
    expect(AppName.of('shop').equals(AppName.of('shop'))).toBe(true);
    expect(AppName.of('shop').equals(AppName.of('shop-2'))).toBe(false);
    expect(String(AppName.of('shop'))).toBe('shop');
  });
});
