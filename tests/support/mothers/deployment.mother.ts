import { AppName } from '../../../src/domain/app-name.js';
import { BuildLog } from '../../../src/domain/build-log.js';
import { Deployment, type DeploymentKind, type DeploymentSource } from '../../../src/domain/deployment.js';

export interface DeploymentProps {
  readonly id?: string;
  readonly app?: string;
  readonly kind?: DeploymentKind;
  readonly source?: DeploymentSource;
  readonly createdAt?: Date;
}

let counter = 0;
const T0 = new Date('2026-04-30T13:50:00.000Z');

/** Deployments in each state, for tests that need one without running a deploy. */
export const DeploymentMother = {
  nextId(): string {
    counter += 1;
    return Deployment.newId(`mother${counter.toString(36).padStart(8, '0')}`);
  },

  /** A build log holding these lines (capped at `maxBytes`). */
  log(lines: readonly string[] = [], maxBytes = 1024 * 1024): BuildLog {
    const log = new BuildLog({ maxBytes });
    for (const line of lines) log.append(`${line}\n`);
    return log;
  },

  pending(props: DeploymentProps = {}): Deployment {
    return new Deployment({
      id: props.id ?? DeploymentMother.nextId(),
      app: AppName.of(props.app ?? 'node-js-app'),
      kind: props.kind ?? 'deploy',
      source: props.source ?? { type: 'git', repoUrl: 'https://github.com/heroku/node-js-getting-started.git', ref: 'main' },
      createdAt: props.createdAt ?? T0,
    });
  },

  running(props: DeploymentProps = {}, startedAt = props.createdAt ?? T0): Deployment {
    const d = DeploymentMother.pending(props);
    d.start(startedAt);
    return d;
  },

  succeeded(props: DeploymentProps = {}, finishedAt = props.createdAt ?? T0): Deployment {
    const d = DeploymentMother.running(props);
    d.succeed(finishedAt, 0);
    return d;
  },

  failed(props: DeploymentProps = {}, finishedAt = props.createdAt ?? T0): Deployment {
    const d = DeploymentMother.running(props);
    d.fail(finishedAt, 'App build failed', 1);
    return d;
  },

  canceled(props: DeploymentProps = {}, finishedAt = props.createdAt ?? T0): Deployment {
    const d = DeploymentMother.running(props);
    d.requestCancel();
    d.cancel(finishedAt, 131);
    return d;
  },
};
