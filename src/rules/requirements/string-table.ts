// A map from strings to int32 values kept as the build wrote it (ranking-index.ts): the keys as one
// text (each followed by a newline), where each key starts, an open-addressing hash table of key
// numbers, and the values. A run looks a key up by hashing it and comparing it with the text in
// place: no string, Map entry or array is made per key at load (15,000 names and three indexes
// of the look-alike search made ~2 MB that lived through every scavenge of a lock file's run).

/**
 * The key's length and six of its characters (both ends, the quarters, the middle), mixed as
 * FNV-1a mixes: the same at build time and at run time. A lookup runs cold (interpreted), once per
 * requirement and a dozen times per unranked name: a loop over every character cost more than the
 * Map it replaces; on the ranking's 15,000 names this hash probes as few slots as FNV-1a over all of
 * them (1.45 slots per name found, against 1.42).
 */
function keyHash(key: string): number {
  const n = key.length;
  // Past either end charCodeAt is NaN, and h ^ NaN is h: a short key mixes its length alone there.
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ key.charCodeAt(0), 0x01000193);
  h = Math.imul(h ^ key.charCodeAt(n >> 2), 0x01000193);
  h = Math.imul(h ^ key.charCodeAt(n >> 1), 0x01000193);
  h = Math.imul(h ^ key.charCodeAt((3 * n) >> 2), 0x01000193);
  h = Math.imul(h ^ key.charCodeAt(n - 2), 0x01000193);
  h = Math.imul(h ^ key.charCodeAt(n - 1), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The parts of a table as written: slots hold key number + 1 (0: empty), a power of two of them. */
export interface TableParts {
  readonly text: string;
  /** Where each key starts in text, and one more: the text's length (each key ends one before the next start, at its newline). */
  readonly starts: Int32Array;
  readonly slots: Int32Array;
  readonly values: Int32Array;
}

/** The table's parts for keys (in order, none holding a newline) and their values. */
export function tableOf(keys: readonly string[], values: ArrayLike<number>): { text: string; starts: number[]; slots: Int32Array; values: number[] } {
  if (keys.length !== values.length) throw new Error('string table: as many values as keys');
  let size = 4;
  while (size < keys.length * 2) size *= 2;
  const slots = new Int32Array(size);
  const starts: number[] = [];
  let at = 0;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (key.includes('\n')) throw new Error('string table: a key holds a newline');
    starts.push(at);
    at += key.length + 1;
    let slot = keyHash(key) & (size - 1);
    while (slots[slot] !== 0) {
      if (keys[slots[slot]! - 1] === key) throw new Error(`string table: ${key} twice`);
      slot = (slot + 1) & (size - 1);
    }
    slots[slot] = k + 1;
  }
  starts.push(at);
  return { text: keys.map((k) => `${k}\n`).join(''), starts, slots, values: Array.from(values) };
}

/**
 * The table as a read-only Map (what the look-alike search asks of its indexes): `get` and `has`
 * look in place; iterating makes each key (tests and tools only). A part found out of range at a
 * lookup calls `damaged`, which throws: damage to the table's shape or to an index fails the run
 * where it is read. A value changed within range is read as it is (the package's own checksum
 * guards the file in transit). `valueLimit`: values must lie in [0, valueLimit) (an index into a
 * list), or anything when undefined.
 */
export class StringTable implements ReadonlyMap<string, number> {
  readonly size: number;
  // The parts as fields of their own: a lookup runs interpreted, and each property read costs.
  readonly #text: string;
  readonly #starts: Int32Array;
  readonly #slots: Int32Array;
  readonly #values: Int32Array;
  readonly #mask: number;
  readonly #damaged: () => never;
  readonly #valueLimit: number | undefined;

  constructor(parts: TableParts, damaged: () => never, valueLimit?: number) {
    const { text, starts, slots, values } = parts;
    // The shape (lengths, the table's size, the text's end) is checked now; each key's place and value when read.
    if (starts.length !== values.length + 1 || slots.length < 4 || slots.length < 2 * values.length || (slots.length & (slots.length - 1)) !== 0 || starts[values.length] !== text.length) damaged();
    this.size = values.length;
    this.#text = text;
    this.#starts = starts;
    this.#slots = slots;
    this.#values = values;
    this.#mask = slots.length - 1;
    this.#damaged = damaged;
    this.#valueLimit = valueLimit;
  }

  /** The number of a key, or -1. */
  indexOf(key: string): number {
    const text = this.#text;
    const starts = this.#starts;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let slot = keyHash(key) & mask, probes = 0; probes <= mask; slot = (slot + 1) & mask, probes++) {
      const k = slots[slot]! - 1;
      if (k === -1) return -1;
      if (k < -1 || k >= this.size) this.#damaged();
      const start = starts[k]!;
      const end = starts[k + 1]! - 1;
      // The length first: most slots probed hold a key of another length, and then the text is not read.
      if (end - start === key.length && text.startsWith(key, start)) {
        if (!(start >= 0 && text.charCodeAt(end) === 10)) this.#damaged();
        return k;
      }
    }
    // A table the build wrote is at most half full: every slot taken is a damaged one.
    return this.#damaged();
  }

  get(key: string): number | undefined {
    const k = this.indexOf(key);
    return k === -1 ? undefined : this.value(k);
  }

  has(key: string): boolean {
    return this.indexOf(key) !== -1;
  }

  /** The k-th key (in the order written). */
  key(k: number): string {
    const text = this.#text;
    const start = this.#starts[k]!;
    const end = this.#starts[k + 1]! - 1;
    if (!(k >= 0 && k < this.size && start >= 0 && start <= end && text.charCodeAt(end) === 10)) this.#damaged();
    return text.slice(start, end);
  }

  value(k: number): number {
    const v = this.#values[k]!;
    if (this.#valueLimit !== undefined && !(v >= 0 && v < this.#valueLimit)) this.#damaged();
    return v;
  }

  *entries(): MapIterator<[string, number]> {
    for (let k = 0; k < this.size; k++) yield [this.key(k), this.value(k)];
  }

  *keys(): MapIterator<string> {
    for (let k = 0; k < this.size; k++) yield this.key(k);
  }

  *values(): MapIterator<number> {
    for (let k = 0; k < this.size; k++) yield this.value(k);
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (let k = 0; k < this.size; k++) callback(this.value(k), this.key(k), this);
  }
}
