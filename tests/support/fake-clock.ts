import type { Clock } from '../../src/ports/clock.port.js';

/** A Clock that only moves when a test moves it. `epochMs` suits the sandbox host's `clock` option. */
export class FakeClock implements Clock {
  private ms: number;

  constructor(start: Date | string = '2026-04-30T13:50:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  readonly epochMs = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }

  set(at: Date | string): void {
    this.ms = new Date(at).getTime();
  }
}
