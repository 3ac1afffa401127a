const CHUNK = /(\d+)|(\D+)/g;

/** A key cut once into its digit and other runs, digit runs without their leading zeros. */
interface NaturalKey {
  text: string;
  runs: string[];
  digits: boolean[];
}

function naturalKey(text: string): NaturalKey {
  const runs = text.match(CHUNK) ?? [];
  const digits = runs.map((run) => run.charCodeAt(0) >= 48 && run.charCodeAt(0) <= 57);
  return {
    text,
    runs: runs.map((run, i) => (digits[i] ? run.replace(/^0+(?=\d)/, '') : run)),
    digits,
  };
}

function compareKeys(a: NaturalKey, b: NaturalKey): number {
  const length = Math.min(a.runs.length, b.runs.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.runs[i]!;
    const y = b.runs[i]!;
    const xDigits = a.digits[i]!;
    const yDigits = b.digits[i]!;
    if (xDigits && yDigits) {
      if (x.length !== y.length) return x.length - y.length;
      if (x !== y) return x < y ? -1 : 1;
    } else if (xDigits !== yDigits) {
      return xDigits ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (a.runs.length !== b.runs.length) return a.runs.length - b.runs.length;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/**
 * Orders keys as people read them and as a spreadsheet sorts: digit runs by value (2 before 10)
 * and before letters or symbols, everything else by code point. Deterministic in every locale.
 */
export function naturalOrder(a: string, b: string): number {
  return compareKeys(naturalKey(a), naturalKey(b));
}

/**
 * Sorts `items` in place by naturalOrder of their keys, cutting each key once rather than at every
 * comparison (a sort of 20,000 cloud ids compares ~300,000 times).
 */
export function sortNaturally<T>(items: T[], keyOf: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, key: naturalKey(keyOf(item)) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  for (let i = 0; i < keyed.length; i += 1) items[i] = keyed[i]!.item;
  return items;
}
