import type { IdGenerator } from '../../src/ports/id-generator.port.js';

/** Predictable ids ("000000000001", "000000000002", ...), still time-sortable by creation order. */
export class SequentialIdGenerator implements IdGenerator {
  private next = 0;

  sortableId(): string {
    this.next += 1;
    return this.next.toString(36).padStart(12, '0');
  }
}
