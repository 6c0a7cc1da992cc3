/**
 * The tables the access suites walk (in memory, over stdio, over HTTP): every tool that names an app or a deployment,
 * with arguments that get a call as far as the use case (confirm_name given, so destructive tools do not stop at the
 * confirmation).
 */
export type ToolArguments = Record<string, (subject: string) => Record<string, unknown>>;

export interface AppToolOptions {
  /** The value configure_app sets (a secret, to check it never comes back). */
  readonly configValue?: string;
  /** The domain remove_app_domain names (another tenant's, to check the answer does not say whose). */
  readonly removedDomain?: string;
  /** get_app_config with reveal: true (needs the write scope). */
  readonly reveal?: boolean;
}

export function appTools({ configValue = 'on', removedDomain = 'new.example.com', reveal = false }: AppToolOptions = {}): ToolArguments {
  return {
    get_app_status: (app) => ({ app_name: app }),
    destroy_app: (app) => ({ app_name: app, confirm_name: app }),
    stop_app: (app) => ({ app_name: app, confirm_name: app }),
    deploy_app: (app) => ({ app_name: app, repo_url: 'https://github.com/acme/shop.git' }),
    deploy_image: (app) => ({ app_name: app, image: 'nginx:1.27' }),
    restart_app: (app) => ({ app_name: app }),
    start_app: (app) => ({ app_name: app }),
    rebuild_app: (app) => ({ app_name: app }),
    scale_app: (app) => ({ app_name: app, processes: { web: 2 } }),
    rollback_app: (app) => ({ app_name: app }),
    get_runtime_logs: (app) => ({ app_name: app }),
    follow_runtime_logs: (app) => ({ app_name: app, seconds: 0.1 }),
    get_failed_deploy_logs: (app) => ({ app_name: app }),
    get_app_config: (app) => (reveal ? { app_name: app, reveal: true } : { app_name: app }),
    configure_app: (app) => ({ app_name: app, vars: { API_KEY: configValue } }),
    unset_app_config: (app) => ({ app_name: app, keys: ['API_KEY'], confirm_name: app }),
    get_app_domains: (app) => ({ app_name: app }),
    add_app_domain: (app) => ({ app_name: app, domain: 'new.example.com' }),
    remove_app_domain: (app) => ({ app_name: app, domain: removedDomain, confirm_name: app }),
  };
}

export const DEPLOYMENT_TOOLS: ToolArguments = {
  get_deployment_status: (id) => ({ deployment_id: id }),
  get_build_logs: (id) => ({ deployment_id: id }),
  cancel_deployment: (id) => ({ deployment_id: id }),
};

/** The tools that name neither an app nor a deployment. */
export const OTHER_TOOLS = ['list_apps', 'list_deployments', 'create_app', 'list_global_domains', 'add_global_domain'];

/** The app tools with side effects (the audit's subjects). */
export const APP_SIDE_EFFECTS = ['destroy_app', 'stop_app', 'deploy_app', 'deploy_image', 'restart_app', 'start_app', 'rebuild_app', 'scale_app', 'rollback_app', 'configure_app', 'unset_app_config', 'add_app_domain', 'remove_app_domain'];

/**
 * The name a tool's answer on a missing app is taken from, for the byte-for-byte comparison with another tenant's app:
 * one inside shop's patterns (the host says it is missing) — except for rollback_app, which refuses an app it recorded
 * no deploy of without asking the host, so for it the missing app is one shop cannot see either.
 */
export const missingAppFor = (tool: string): string => (tool === 'rollback_app' ? 'billing-ghost' : 'shop-missing');

/** A well-formed deployment id that no deployment has. */
export const UNKNOWN_DEPLOYMENT = 'deploy_0000000000unknown';

/** A text with every occurrence of `name` replaced, to compare two answers about different names byte for byte. */
export const withoutName = (text: string, name: string): string => text.split(name).join('<name>');
