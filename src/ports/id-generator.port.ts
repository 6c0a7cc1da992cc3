/** Unique identifiers. */
export const IdGenerator = Symbol('IdGenerator');
export interface IdGenerator {
  /** A unique, time-sortable suffix of lowercase base36 characters (at least 10). */
  sortableId(): string;
}
