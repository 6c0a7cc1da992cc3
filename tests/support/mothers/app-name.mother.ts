import { AppName } from '../../../src/domain/app-name.js';

let counter = 0;

/** App names that no other test uses. */
export const AppNameMother = {
  unique(prefix = 'test-app'): AppName {
    counter += 1;
    return AppName.of(`${prefix}-${counter}`);
  },
  missing(): AppName {
    return AppName.of('no-such-app');
  },
};
