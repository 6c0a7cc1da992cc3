/**
 * Deterministic pseudo-randomness for the simulated host: container ids, log messages and timestamp digits derive from
 * stable inputs (app, process, line number), so a read repeated at the same moment returns the same lines, and lines
 * already shown never change when new ones appear.
 */

/** FNV-1a, 32 bits. Not for security: only to spread stable inputs. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** `length` lowercase hex characters derived from `seed`, like a Docker short container id. */
export function hexId(seed: string, length = 12): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += hash32(`${seed}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** An integer in [0, bound) derived from `seed`. */
export function pick(seed: string, bound: number): number {
  return bound <= 0 ? 0 : hash32(seed) % bound;
}
