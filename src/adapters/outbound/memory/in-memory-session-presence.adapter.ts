import type { PresenceClaim, SessionPresence } from '../../../ports/session-presence.port.js';

/**
 * Sessions counted in this process's memory (store.type: memory): the process is the whole installation, so an entry
 * lives exactly as long as its session and needs no expiry.
 */
export class InMemorySessionPresence implements SessionPresence {
  private readonly groups = new Map<string, Set<string>>();

  async claim(group: string, id: string, max: number): Promise<PresenceClaim> {
    const ids = this.groups.get(group) ?? new Set<string>();
    if (!ids.has(id) && ids.size >= max) return { ok: false, held: ids.size };
    ids.add(id);
    this.groups.set(group, ids);
    return { ok: true };
  }

  async release(group: string, id: string): Promise<void> {
    const ids = this.groups.get(group);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.groups.delete(group);
  }

  async count(group: string): Promise<number> {
    return this.groups.get(group)?.size ?? 0;
  }
}
