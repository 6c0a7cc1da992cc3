import { z } from 'zod';
import type { ConfigChangeResult } from '../../../../application/config/configure-app.use-case.js';
import { deploymentLogsUri } from '../deployment-view.js';

/** What configure_app and unset_app_config return: the keys touched (never the values) and the restart, if any. */
export const configChangeShape = {
  app_name: z.string().describe('The app'),
  keys: z.array(z.string()).describe('The keys that were changed (values are never echoed)'),
  restarted: z.boolean().describe('True: Dokku is restarting the app, tracked as deployment_id'),
  deployment_id: z.string().optional().describe('The restart deployment; follow it with get_build_logs / get_deployment_status'),
  status: z.string().optional().describe('Status of the restart deployment'),
  log_resource: z.string().optional().describe('Resource URI of the restart deployment log'),
  next_step: z.string().describe('What to do next'),
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
    status: change.deployment.status,
    log_resource: deploymentLogsUri(id),
    next_step: `Follow the restart with get_build_logs("${id}") until complete, then get_deployment_status.`,
  };
}
