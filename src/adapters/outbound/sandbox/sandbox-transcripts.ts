import type { SandboxApp } from './sandbox-dokku-host.js';
import { hexId } from './sandbox-hash.js';
import { startupLines } from './sandbox-runtime-logs.js';
import type { SandboxSource } from './sandbox-seed.js';

/**
 * The output Dokku 0.38 (docker-local scheduler, herokuish or Dockerfile builder) prints while it builds and deploys,
 * grouped in the chunks the sandbox writes one step at a time. See reference/dokku-cli.md, "Deploy transcript".
 */
export type Steps = string[][];

const info1 = (text: string): string => `-----> ${text}`;
const info2 = (text: string): string => `=====> ${text}`;
const verbose = (text: string): string => `       ${text}`;
export const failLine = (text: string): string => ` !     ${text}`;

export interface BuildTranscript {
  readonly steps: Steps;
  /** What `logs:failed` shows after this build failed. */
  readonly failedLog?: string[];
}

/** The source label Dokku prints ("repo#ref" or the image); a source containing "fail" fails in the sandbox. */
export function sourceLabel(source: SandboxSource): string {
  if (source.type === 'image') return source.image;
  return source.ref ? `${source.repoUrl}#${source.ref}` : source.repoUrl;
}

/** Herokuish detects a worker when the Procfile declares one; the sandbox guesses it from the repository name. */
export function processTypesOf(source: SandboxSource): string[] {
  return source.type === 'git' && /worker/.test(source.repoUrl) ? ['web', 'worker'] : ['web'];
}

export function buildTranscript(app: SandboxApp, source: SandboxSource, failing: boolean): BuildTranscript {
  return source.type === 'image' ? dockerfileBuild(app.name, source.image, failing) : herokuishBuild(app, source, failing);
}

/** The buildpack part of a herokuish build; the sandbox picks Python for a repository named like one, else Node.js. */
interface Buildpack {
  readonly setup: Steps;
  readonly install: string[];
  readonly error: string[];
  readonly language: string;
}

function buildpackFor(app: SandboxApp, source: SandboxSource): Buildpack {
  if (source.type === 'git' && /python|django|flask/.test(source.repoUrl)) {
    return {
      language: 'Python',
      setup: [[info1('Python app detected'), info1('Using Python 3.12 specified in .python-version'), info1('Installing Python 3.12.7'),
        info1('Installing pip 24.3.1, setuptools 70.3.0 and wheel 0.45.1'), info1('Installing SQLite3')]],
      install: [info1('Installing requirements with pip'), verbose('Collecting django<6.0,>=5.1 (from -r requirements.txt (line 1))'),
        verbose('Successfully installed asgiref-3.8.1 django-5.1.4 gunicorn-23.0.0 sqlparse-0.5.3'), info1('$ python manage.py collectstatic --noinput'),
        verbose('130 static files copied to \'/tmp/build/staticfiles\'.')],
      error: ['ERROR: Could not find a version that satisfies the requirement example-missing==9.9 (from versions: none)',
        'ERROR: No matching distribution found for example-missing==9.9'],
    };
  }
  return {
    language: 'Node.js',
    setup: [
      [info1('Node.js app detected'), '', info1('Creating runtime environment'), verbose(''), verbose('NPM_CONFIG_LOGLEVEL=error'),
        verbose('NODE_VERBOSE=false'), verbose(`NODE_ENV=${app.config.get('NODE_ENV') ?? 'production'}`), verbose('NODE_MODULES_CACHE=true')],
      [info1('Installing binaries'), verbose('engines.node (package.json):  20.x'), verbose('engines.npm (package.json):   unspecified (use default)'),
        verbose(''), verbose('Resolving node version 20.x...'), verbose('Downloading and installing node 20.18.1...'), verbose('Using default npm version: 10.8.2')],
    ],
    install: [info1('Installing dependencies'), verbose('Installing node modules'), verbose(''), verbose('added 112 packages, and audited 113 packages in 3s'),
      verbose('found 0 vulnerabilities'), info1('Build'), info1('Caching build'), verbose('- npm cache')],
    error: ['npm ERR! code E404', 'npm ERR! 404 Not Found - GET https://registry.npmjs.org/@example%2fmissing - Not found'],
  };
}

function herokuishBuild(app: SandboxApp, source: SandboxSource, failing: boolean): BuildTranscript {
  const pack = buildpackFor(app, source);
  const steps: Steps = [
    [info1('Cleaning up...'), info1(`Building ${app.name} from herokuish`), info1('Adding BUILD_ENV to build environment...')],
    ...pack.setup,
  ];
  if (failing) {
    steps.push(
      [pack.install[0] as string, ...pack.error.map(verbose)],
      [info1('Build failed'), verbose(''), verbose("We're sorry this build is failing! You can troubleshoot common issues here:"),
        verbose('https://devcenter.heroku.com/start'), failLine(`Push rejected, failed to compile ${pack.language} app.`)],
      [failLine('App build failed')],
    );
    return { steps, failedLog: pack.error };
  }
  steps.push(pack.install, [info1('Build succeeded!'), info1('Discovering process types'),
    verbose(`Procfile declares types -> ${processTypesOf(source).join(', ')}`)]);
  return { steps };
}

function dockerfileBuild(app: string, image: string, failing: boolean): BuildTranscript {
  const repo = image.split(/[:@]/)[0] as string;
  const steps: Steps = [[info1('Cleaning up...'), info1(`Building ${app} from Dockerfile`)]];
  if (failing) {
    const denied = `pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
    steps.push([`Step 1/1 : FROM ${image}`, denied], [failLine('App build failed')]);
    return { steps, failedLog: [`Error response from daemon: ${denied}`] };
  }
  const id = hexId(`image:${image}`);
  steps.push(
    [`Step 1/1 : FROM ${image}`, `${image.includes(':') ? image.split(':').pop() : 'latest'}: Pulling from ${repo}`, `Digest: sha256:${hexId(`digest:${image}`, 64)}`],
    [`Status: Downloaded newer image for ${image}`, ` ---> ${id}`, `Successfully built ${id}`, `Successfully tagged dokku/${app}:latest`],
  );
  return { steps };
}

export function releaseSteps(app: string): Steps {
  return [
    [info1(`Releasing ${app}...`), info1('Checking for predeploy task'), verbose('No predeploy task found, skipping')],
    [info1('Checking for release task'), verbose('No release task found, skipping')],
  ];
}

/** The scheduler's part: checks per container, nginx, renaming. `counts` are the process types being (re)deployed. */
export function deploySteps(app: SandboxApp, counts: ReadonlyArray<readonly [string, number]>, at: number): Steps {
  const steps: Steps = [[info2('Processing deployment checks'), verbose('No web healthchecks found in app.json. Simple container checks will be performed.'),
    info1(`Deploying ${app.name} via the docker-local scheduler...`)]];
  const renames: string[] = [];
  for (const [type, count] of counts) {
    steps.push([info1(`Deploying ${type} (count=${count})`)]);
    for (let index = 1; index <= count; index++) {
      const cid = hexId(`${app.name}/${type}.${index}@deploy${at}`);
      const group = [verbose(`Attempting pre-flight checks (${type}.${index})`), info1('Executing 2 healthchecks'),
        verbose("Running healthcheck name='default' type='uptime' uptime=10"), verbose("Healthcheck succeeded name='default'"),
        verbose(`All checks successful (${type}.${index})`)];
      if (index === 1) group.push(info2(`Start of ${app.name} container output (${cid} ${type}.1)`), ...startupLines(app, { type, id: cid }),
        info2(`End of ${app.name} container output (${cid} ${type}.1)`));
      group.push(verbose(`Scheduling old container shutdown in 60 seconds (${type}.${index})`));
      // Large scales would print for minutes: later containers share one step.
      if (index <= 3) steps.push(group);
      else (steps[steps.length - 1] as string[]).push(...group);
      renames.push(verbose(`Renaming container ${app.name}.${type}.${index}.upcoming-${1000 + (at % 9000)} (${cid}) to ${app.name}.${type}.${index}`));
    }
  }
  steps.push(
    [info2('Triggering early nginx proxy rebuild'), info1(`Ensuring network configuration is in sync for ${app.name}`),
      ...app.domains.map((domain) => info1(`Configuring ${domain}...(using built-in template)`)), info1('Creating http nginx.conf'), verbose('Reloading nginx')],
    [info1('Running post-deploy'), info1('Renaming containers'), ...renames],
    [info1('Checking for postdeploy task'), verbose('No postdeploy task found, skipping'), info1('Shutting down old containers in 60 seconds')],
  );
  return steps;
}

export function deployedFooter(app: SandboxApp): string[] {
  return [info2('Application deployed:'), ...app.domains.map((domain) => verbose(`http://${domain}`))];
}

/** config:set echoes every value it sets, secrets included, aligned like config:show. */
export function configSetLines(vars: ReadonlyArray<readonly [string, string]>): string[] {
  const sorted = [...vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const width = Math.max(...sorted.map(([key]) => key.length)) + 1;
  return [info1('Setting config vars'), ...sorted.map(([key, value]) => verbose(`${`${key}:`.padEnd(width)}  ${value}`))];
}

export { info1, info2, verbose };
