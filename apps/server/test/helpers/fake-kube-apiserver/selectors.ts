// labelSelector and fieldSelector as the apiserver parses them (k8s.io/apimachinery/pkg/labels, pkg/fields),
// limited to what list callers use: =, ==, !=, in, notin, existence and !existence; metadata.name/namespace.
import type { StoredObject } from './store';

export type Matcher = (object: StoredObject) => boolean;

/** Thrown for a selector the real server would reject; the handler turns it into 400 BadRequest. */
export class SelectorError extends Error {}

/** Splits on commas that are not inside an `in (...)` set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function labelTerm(term: string): Matcher {
  const set = /^([^\s!=(]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    const has = (o: StoredObject): boolean => {
      const v = o.labels[key];
      return v !== undefined && values.has(v);
    };
    return op === 'in' ? has : (o) => !has(o);
  }
  const cmp = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s=!]*)$/.exec(term);
  if (cmp) {
    const [, key = '', op, value = ''] = cmp;
    return op === '!=' ? (o) => o.labels[key] !== value : (o) => o.labels[key] === value;
  }
  const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
  if (exists) {
    const [, not, key = ''] = exists;
    return not ? (o) => !(key in o.labels) : (o) => key in o.labels;
  }
  throw new SelectorError(
    `unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`,
  );
}

export function parseLabelSelector(selector: string | undefined): Matcher | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const terms = splitTerms(selector).map(labelTerm);
  return (o) => terms.every((t) => t(o));
}

function fieldTerm(term: string): Matcher {
  const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (!m) throw new SelectorError(`invalid selector: '${term}'; can't understand '${term}'`);
  const [, field = '', op, value = ''] = m;
  let read: (o: StoredObject) => string;
  if (field === 'metadata.name') read = (o) => o.name;
  else if (field === 'metadata.namespace') read = (o) => o.namespace ?? '';
  else throw new SelectorError(`field label not supported: ${field}`);
  return op === '!=' ? (o) => read(o) !== value : (o) => read(o) === value;
}

export function parseFieldSelector(selector: string | undefined): Matcher | undefined {
  if (!selector || selector.trim() === '') return undefined;
  const terms = splitTerms(selector).map(fieldTerm);
  return (o) => terms.every((t) => t(o));
}
