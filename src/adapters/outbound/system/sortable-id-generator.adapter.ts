import { randomBytes } from 'node:crypto';
import type { IdGenerator } from '../../../ports/id-generator.port.js';

/**
 * ULID-like ids in lowercase base36: 9 characters of milliseconds (sortable until the year 5188) then 8 random ones.
 * Within one millisecond a counter keeps them increasing.
 */
export class SortableIdGenerator implements IdGenerator {
  private lastMs = 0;
  private counter = 0;

  sortableId(): string {
    const now = Date.now();
    if (now === this.lastMs) this.counter++;
    else {
      this.lastMs = now;
      this.counter = 0;
    }
    const time = now.toString(36).padStart(9, '0');
    const seq = this.counter.toString(36).padStart(3, '0');
    const random = BigInt('0x' + randomBytes(5).toString('hex')).toString(36).padStart(8, '0').slice(-8);
    return `${time}${seq}${random}`;
  }
}
