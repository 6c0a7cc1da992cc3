import { z } from 'zod';
import type { ConfigChangeResult } from '../../../../application/config/configure-app.use-case.js';
import { appOut, nextStepOut } from './fields.js';

/** What configure_app and unset_app_config return: the keys touched (never the values) and the restart, if any. */
export const configChangeShape = {
  app_name: appOut,
  keys: z.array(z.string()).describe('Keys changed (values are never echoed)'),
  restarted: z.boolean().describe('True: the app restarts, as deployment_id'),
  deployment_id: z.string().optional().describe('The restart, to follow like any deployment'),
  next_step: nextStepOut,
};

export function configChangeView(appName: string, change: ConfigChangeResult): z.infer<z.ZodObject<typeof configChangeShape>> {
  if (!change.restarted) {
    return {
      app_name: appName,
      keys: change.keys,
      restarted: false,
      next_step: 'Stored without a restart: it takes effect at the next deploy or restart_app.',
    };
  }
  const id = change.deployment.id;
  return {
    app_name: appName,
    keys: change.keys,
    restarted: true,
    deployment_id: id,
    next_step: `Follow the restart with get_build_logs("${id}") until complete, then get_deployment_status.`,
  };
}
