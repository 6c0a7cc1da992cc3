import { z } from 'zod';

/**
 * Fields shared by several tools, described once here so every tool says the same thing in few words (tools/list is
 * read by the model on every session). Only types are checked here; the domain states the rules when a value breaks
 * one (clearer messages than a schema pattern).
 */
export const appNameField = z.string().describe('App name');

export const domainField = z.string().describe('DNS name, e.g. "www.example.com" or "*.example.com"');

export const restartField = z
  .boolean()
  .optional()
  .describe('Restart to apply (default true; gives a deployment_id); false: at the next deploy');

/** Output fields. */
export const appOut = z.string().describe('The app');
export const nextStepOut = z.string().describe('What to do next');

export const appDomainsShape = {
  app_name: appOut,
  vhosts_enabled: z.boolean().describe('Domains enabled'),
  domains: z.array(z.string()).describe("The app's own domains"),
  global_domains: z.array(z.string()).describe("The host's global domains"),
};
