import { z } from 'zod';

/** Input fields shared by several tools. Only types are checked here; the domain states the rules (clearer messages). */
export const appNameField = z
  .string()
  .describe('Dokku app name: lowercase letters, digits, dots and hyphens, starting with a letter or digit (e.g. "my-app")');

export const domainField = z.string().describe('A DNS name such as "www.example.com" (a leading "*." wildcard is allowed)');

export const restartField = z
  .boolean()
  .optional()
  .describe('Restart the app so the change takes effect (default true; tracked as a deployment). false: stored only, applied at the next deploy or restart');

export const appDomainsShape = {
  app_name: z.string().describe('The app'),
  vhosts_enabled: z.boolean().describe('Whether domains (virtual hosts) are enabled for the app'),
  domains: z.array(z.string()).describe("The app's own domains"),
  global_domains: z.array(z.string()).describe('Global domains of the host (apps get <app>.<global domain> by default)'),
};
