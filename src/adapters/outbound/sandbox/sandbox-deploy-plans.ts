import type { DeployOperation } from '../../../ports/dokku-deploys.port.js';
import type { DeployPlan } from './sandbox-deploy-run.js';
import { planPluginOperation } from './sandbox-plugin-plans.js';
import type { SandboxApp, SandboxDokkuHost } from './sandbox-dokku-host.js';
import { hexId } from './sandbox-hash.js';
import type { SandboxSource } from './sandbox-seed.js';
import {
  buildTranscript, configSetLines, deployedFooter, deploySteps, failLine, info1, processTypesOf, releaseSteps, sourceLabel, verbose,
  type Steps,
} from './sandbox-transcripts.js';

/** Dokku stops with one message and an exit status. */
export const failPlan = (message: string, exitCode = 1): DeployPlan => ({ steps: [[failLine(message)]], exitCode });

/** The host's own lock: Dokku refuses a second deploy of an app while one runs. */
export const lockedPlan = (app: string): DeployPlan => failPlan(`${app} currently has a deploy lock in place. Exiting...`);

/** What Dokku would print and change for `operation`, decided from the host's state when it starts. */
export function planOperation(host: SandboxDokkuHost, operation: DeployOperation): DeployPlan {
  const name = operation.app.value;
  const app = host.find(name);
  if (!app) return failPlan(`App ${name} does not exist`, 20);
  switch (operation.kind) {
    case 'deploy': {
      const source: SandboxSource = { type: 'git', repoUrl: operation.repoUrl.value, ref: operation.ref?.value };
      // git:sync clones the first time and fetches afterwards.
      const sync = app.source?.type === 'git'
        ? verbose(`Fetching remote code for ${name} from ${sourceLabel(source)}`)
        : info1(`Cloning ${name} from ${sourceLabel(source)}`);
      return buildAndDeploy(host, app, source, [sync], 'git:sync');
    }
    case 'deploy_image':
      return buildAndDeploy(host, app, { type: 'image', image: operation.image.value }, [], 'git:from-image');
    case 'rebuild':
      if (!app.deployed) return failPlan(`App ${name} has not been deployed`);
      return buildAndDeploy(host, app, app.source ?? { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git' }, [], 'ps:rebuild');
    case 'restart':
    case 'start': {
      // Dokku only warns here, and exits 0.
      if (!app.deployed) return { steps: [[failLine(`App ${name} has not been deployed`)]], exitCode: 0 };
      const steps = operation.kind === 'restart'
        ? deploySteps(app, activeCounts(app), host.now())
        : [...releaseSteps(name), ...deploySteps(app, activeCounts(app), host.now()), deployedFooter(app)];
      return { steps, exitCode: 0, onEnd: () => restartAll(host, app), build: { kind: 'deploy', source: `ps:${operation.kind}` } };
    }
    case 'scale':
      return scalePlan(host, app, operation.counts.map(([type, count]) => [type.value, count] as const));
    case 'config_set': {
      const vars = operation.vars.map(([key, value]) => [key.value, value.value] as const);
      return {
        steps: [configSetLines(vars), ...(app.deployed ? restartSteps(host, app) : [])],
        exitCode: 0,
        onBegin: () => vars.forEach(([key, value]) => app.config.set(key, value)),
        onEnd: () => app.deployed && restartAll(host, app),
        ...(app.deployed ? { build: CONFIG_REDEPLOY } : {}),
      };
    }
    case 'config_unset': {
      const keys = operation.keys.map((key) => key.value);
      const present = keys.filter((key) => app.config.has(key));
      const lines = keys.map((key) => (app.config.has(key) ? info1(`Unsetting ${key}`) : info1(`Skipping ${key}, it is not set in the environment`)));
      const restart = app.deployed && present.length > 0;
      return {
        steps: [lines, ...(restart ? restartSteps(host, app) : [])],
        exitCode: 0,
        onBegin: () => keys.forEach((key) => app.config.delete(key)),
        onEnd: () => restart && restartAll(host, app),
        ...(restart ? { build: CONFIG_REDEPLOY } : {}),
      };
    }
    case 'service_link':
    case 'service_unlink':
    case 'letsencrypt_enable':
      return planPluginOperation(host, app, operation, { steps: (a) => restartSteps(host, a), apply: (a) => restartAll(host, a) });
  }
}

const CONFIG_REDEPLOY = { kind: 'deploy', source: 'config-redeploy' } as const;

/** A 40-hex commit: the ref itself when it is one, else one that changes with every build of the branch. */
function commitOf(app: SandboxApp, source: SandboxSource): string | undefined {
  if (source.type !== 'git') return undefined;
  return source.ref && /^[0-9a-f]{40}$/.test(source.ref) ? source.ref : hexId(`${source.repoUrl}#${source.ref ?? ''}@${app.name}/${app.builds}`, 40);
}

function buildAndDeploy(host: SandboxDokkuHost, app: SandboxApp, source: SandboxSource, preface: string[], dokkuSource: string): DeployPlan {
  const failing = sourceLabel(source).includes('fail');
  const build = buildTranscript(app, source, failing);
  const head: Steps = preface.length > 0 ? [preface, ...build.steps] : build.steps;
  const record = { kind: 'build', source: dokkuSource } as const;
  if (failing) return { steps: head, exitCode: 1, onEnd: () => void (app.failedDeployLog = build.failedLog), build: record };
  const types = processTypesOf(source);
  // A first deploy starts one web process; other types stay at 0 until scaled (Dokku's default formation).
  const counts = app.scale.size > 0 ? activeCounts(app) : ([['web', 1]] as const);
  return {
    steps: [...head, ...releaseSteps(app.name), ...deploySteps(app, counts, host.now()), deployedFooter(app)],
    exitCode: 0,
    onEnd: () => {
      app.builds++;
      app.source = source;
      app.gitSha = commitOf(app, source);
      app.processTypes = types;
      // A source named like "crash" builds and deploys fine, then its processes exit at once (exit 0, app down).
      app.crashing = sourceLabel(source).includes('crash');
      if (app.scale.size === 0) app.scale.set('web', 1);
      app.deployed = true;
      restartAll(host, app);
    },
    build: record,
  };
}

function scalePlan(host: SandboxDokkuHost, app: SandboxApp, counts: ReadonlyArray<readonly [string, number]>): DeployPlan {
  // Dokku checks the types against the deployed Procfile; before a first deploy it cannot, and accepts any.
  const unknown = app.deployed ? counts.find(([type, count]) => count > 0 && !app.processTypes.includes(type)) : undefined;
  if (unknown) return failPlan(`${unknown[0]} is not a valid process name to scale up`);
  const changed = counts.filter(([type, count]) => (app.scale.get(type) ?? 0) !== count);
  const header = info1(`Scaling ${app.name} processes: ${counts.map(([type, count]) => `${type}=${count}`).join(' ')}`);
  const redeploy = app.deployed && changed.length > 0;
  return {
    steps: [[header], ...(redeploy ? deploySteps(app, changed, host.now()) : [])],
    exitCode: 0,
    onBegin: () => counts.forEach(([type, count]) => app.scale.set(type, count)),
    onEnd: () => redeploy && host.syncContainers(app, new Set(changed.map(([type]) => type))),
    ...(redeploy ? { build: { kind: 'deploy', source: 'deploy' } as const } : {}),
  };
}

function restartSteps(host: SandboxDokkuHost, app: SandboxApp): Steps {
  return [[info1(`Restarting app ${app.name}`)], ...releaseSteps(app.name), ...deploySteps(app, activeCounts(app), host.now()), deployedFooter(app)];
}

function restartAll(host: SandboxDokkuHost, app: SandboxApp): void {
  host.syncContainers(app);
}

function activeCounts(app: SandboxApp): Array<readonly [string, number]> {
  return [...app.scale].filter(([, count]) => count > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
