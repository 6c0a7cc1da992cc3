/** Time, behind a port so tests can move it. */
export const Clock = Symbol('Clock');
export interface Clock {
  now(): Date;
}
