import type { DeployOutcome, DeployRun } from '../../../ports/dokku-deploys.port.js';

/** What a simulated Dokku command prints and does. */
export interface DeployPlan {
  /** Groups of output lines; one group is written per step. A line may hold "\n" (a multi-line config value). */
  readonly steps: ReadonlyArray<readonly string[]>;
  readonly exitCode: number;
  /** Runs as the run starts, before any output: config:set stores the values at once, then restarts the app. */
  readonly onBegin?: () => void;
  /** Runs after the last output, before the outcome resolves (so a caller awaiting it sees the new state). */
  readonly onEnd?: () => void;
  /** How it appears in the host's build record (builds:*); absent for what never takes the deploy lock. */
  readonly build?: { readonly kind: 'build' | 'deploy'; readonly source: string };
}

/** SIGQUIT (builds:cancel) ends the deploy's process group: 128 + 3. */
export const CANCELED_EXIT_CODE = 131;

/**
 * Plays a DeployPlan over time, one step per `stepMs`, like output arriving over an SSH channel. Every third step
 * stops in the middle of its last line and sends the rest with the next step, as pipe reads do: consumers must join
 * chunks into lines themselves.
 */
export class SandboxDeployRun implements DeployRun {
  readonly outcome: Promise<DeployOutcome>;
  private resolve!: (outcome: DeployOutcome) => void;
  private timer?: ReturnType<typeof setTimeout>;
  private step = 0;
  private carry = '';
  private done = false;

  constructor(
    private readonly plan: DeployPlan,
    private readonly onOutput: (chunk: string) => void,
    private readonly stepMs: number,
    private readonly onFinish: (run: SandboxDeployRun) => void = () => {},
  ) {
    this.outcome = new Promise((resolve) => (this.resolve = resolve));
    // As on a real host, the new config is visible as soon as the command runs, not after the first output.
    this.plan.onBegin?.();
    this.schedule();
  }

  get finished(): boolean {
    return this.done;
  }

  /** builds:cancel: the build stops where it is and exits non-zero. */
  cancel(): void {
    if (this.done) return;
    this.write(`${this.carry} !     Build canceled\n`);
    this.finish({ type: 'exited', exitCode: CANCELED_EXIT_CODE });
  }

  /** The simulated connection went away (host disposed, app destroyed): the outcome is unknown. */
  abort(reason: string): void {
    if (this.done) return;
    this.finish({ type: 'lost', reason });
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.tick(), this.stepMs);
    // A demo or test process must not stay alive only because a simulated build is still printing.
    this.timer.unref?.();
  }

  private tick(): void {
    if (this.done) return;
    const lines = this.plan.steps[this.step] ?? [];
    this.step++;
    const last = this.step >= this.plan.steps.length;
    let text = this.carry + lines.map((line) => `${line}\n`).join('');
    this.carry = '';
    const lastLine = lines[lines.length - 1];
    if (!last && this.step % 3 === 2 && lastLine !== undefined && lastLine.length > 1) {
      const cut = text.length - 1 - Math.ceil(lastLine.length / 2);
      this.carry = text.slice(cut);
      text = text.slice(0, cut);
    }
    this.write(text);
    if (!last) return this.schedule();
    try {
      this.plan.onEnd?.();
    } finally {
      this.finish({ type: 'exited', exitCode: this.plan.exitCode });
    }
  }

  private write(text: string): void {
    if (text.length === 0) return;
    try {
      this.onOutput(text);
    } catch {
      // A failing listener must not stop the simulated build; the outcome promise never rejects.
    }
  }

  private finish(outcome: DeployOutcome): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.onFinish(this);
    this.resolve(outcome);
  }
}
