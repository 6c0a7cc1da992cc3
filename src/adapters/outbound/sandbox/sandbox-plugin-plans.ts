import { SERVICE_PLUGINS } from '../../../domain/service.js';
import type { DeployOperation } from '../../../ports/dokku-deploys.port.js';
import type { DeployPlan } from './sandbox-deploy-run.js';
import type { SandboxApp, SandboxDokkuHost } from './sandbox-dokku-host.js';
import { hexId } from './sandbox-hash.js';
import { linkVariable, serviceDsn } from './sandbox-plugins.js';
import { configSetLines, failLine, info1, info2, verbose, type Steps } from './sandbox-transcripts.js';

type PluginOperation = Extract<DeployOperation, { kind: 'service_link' | 'service_unlink' | 'letsencrypt_enable' }>;

/** How the core plans restart an app after a config change (passed in: the core plans import this module). */
export interface Restarts {
  readonly steps: (app: SandboxApp) => Steps;
  readonly apply: (app: SandboxApp) => void;
}

const fail = (lines: string[], exitCode = 1): DeployPlan => ({ steps: [lines.map(failLine)], exitCode });

const DAY_MS = 86_400_000;

/** What the plugins print and change for a link, an unlink or letsencrypt:enable, decided when it starts. */
export function planPluginOperation(host: SandboxDokkuHost, app: SandboxApp, operation: PluginOperation, restart: Restarts): DeployPlan {
  const plugin = operation.kind === 'letsencrypt_enable' ? 'letsencrypt' : operation.service.type;
  if (!host.plugin.installed.has(plugin)) {
    const command = operation.kind === 'letsencrypt_enable' ? `letsencrypt:enable ${app.name}` : `${plugin}:${operation.kind === 'service_link' ? 'link' : 'unlink'} ${operation.service.name.value} ${app.name}`;
    return fail([`\`${command}\` is not a dokku command.`, 'See `dokku help` for a list of available commands.']);
  }
  if (operation.kind === 'letsencrypt_enable') return letsencryptPlan(host, app);
  const { type, name } = { type: operation.service.type, name: operation.service.name.value };
  const service = host.plugin.findService(type, name);
  if (!service) return fail([`${SERVICE_PLUGINS[type].title} service ${name} does not exist`]);
  const dsn = serviceDsn(service);
  const linkedAs = [...app.config].filter(([, value]) => value === dsn).map(([key]) => key);
  if (operation.kind === 'service_link') {
    if (linkedAs.length) return fail([`Already linked as ${linkedAs[0]}`]);
    const variable = linkVariable(type, app.config);
    if (!variable) return fail(['Unable to use default or generated URL alias']);
    return {
      steps: [configSetLines([[variable, dsn]]), ...(app.deployed ? restart.steps(app) : [])],
      exitCode: 0,
      onBegin: () => {
        app.config.set(variable, dsn);
        service.links = [...new Set([...service.links, app.name])].sort();
      },
      onEnd: () => app.deployed && restart.apply(app),
    };
  }
  service.links = service.links.filter((a) => a !== app.name);
  if (!linkedAs.length) return fail([`Not linked to app ${app.name}`]);
  return {
    steps: [linkedAs.map((key) => info1(`Unsetting ${key}`)), ...(app.deployed ? restart.steps(app) : [])],
    exitCode: 0,
    onBegin: () => linkedAs.forEach((key) => app.config.delete(key)),
    onEnd: () => app.deployed && restart.apply(app),
  };
}

function letsencryptPlan(host: SandboxDokkuHost, app: SandboxApp): DeployPlan {
  const header = info2(`Enabling letsencrypt for ${app.name}`);
  if (!host.plugin.emailFor(app.name)) {
    return {
      steps: [[header, ...['ERROR: Cannot request a certificate without an e-mail address!', '  please provide your e-mail address using',
        `  dokku letsencrypt:set ${app.name} email <e-mail>`].map(failLine)]],
      exitCode: 1,
    };
  }
  const domains = app.domains;
  const proxyOn = [info1(`Enabling ACME proxy for ${app.name}...`), verbose('Reloading nginx')];
  const acme = [info1(`Getting letsencrypt certificate for ${app.name} via HTTP-01`), ...domains.map((d) => `        - Domain '${d}'`)];
  const proxyOff = [info1(`Disabling ACME proxy for ${app.name}...`), verbose('Reloading nginx')];
  // A domain nobody can reach from the internet fails the HTTP-01 challenge, as on a real host.
  const unreachable = domains.length === 0 || domains.some((d) => d.includes('fail') || d.endsWith('.local'));
  if (unreachable) {
    return {
      steps: [[header], proxyOn, [...acme, verbose(`[${domains[0] ?? app.name}] acme: error: 400 :: urn:ietf:params:acme:error:connection :: Fetching http://${domains[0] ?? app.name}/.well-known/acme-challenge/: Timeout during connect`)],
        [info1('Certificate retrieval failed!'), ...proxyOff], ['Failed to setup letsencrypt', 'Check log output for further information on failure'].map(failLine)],
      exitCode: 1,
    };
  }
  const order = hexId(`${app.name}/acme-order`, 10);
  return {
    steps: [[header], proxyOn,
      [...acme, ...domains.flatMap((d) => [verbose(`[INFO] [${d}] acme: Obtaining bundled SAN certificate`),
        verbose(`[INFO] [${d}] AuthURL: https://acme-v02.api.letsencrypt.org/acme/authz-v3/${order}`)])],
      [...domains.map((d) => verbose(`[INFO] [${d}] The server validated our request`)), verbose('[INFO] acme: Validations succeeded; requesting certificates'),
        info1('Certificate retrieved successfully.')],
      [info1("Installing let's encrypt certificates"), ...domains.map((d) => info1(`Configuring ${d}...(using built-in template)`)),
        info1('Creating https nginx.conf'), verbose('Enabling HSTS'), verbose('Reloading nginx')],
      [...proxyOff, info1('Done')]],
    exitCode: 0,
    onEnd: () => {
      const entry = host.plugin.letsencrypt.get(app.name) ?? {};
      host.plugin.letsencrypt.set(app.name, { ...entry, expiresAt: host.now() + 90 * DAY_MS });
    },
  };
}
