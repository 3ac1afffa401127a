// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics` (Prometheus 2.42).
//
// What promtool 2.42 does with its input (checked by importing and dumping the blocks):
// - It silently DROPS a sample whose timestamp is not after the previous one of the same series (out of order
//   or duplicate) and still exits 0, so points are sorted here and duplicates are an error.
// - Series of one family may interleave; the family's samples need not be contiguous per series.
// - It ignores TYPE and HELP (blocks carry no metadata), so the type only has to satisfy the parser. For a
//   counter the spec names the family without `_total` and its samples with it; promtool would also accept
//   `# TYPE x_total counter` followed by `x_total` samples, but this writer sticks to the spec.
// - Empty label values are dropped by the TSDB (`container=""` is stored as no `container` label), so they
//   are left out here too: two inputs that differ only by an empty label are the same series and get caught
//   as duplicates instead of being merged behind the test's back.

export type MetricType = 'counter' | 'gauge';

/** One timestamped value: Unix seconds (fractions allowed, promtool keeps milliseconds) and the value. */
export type Point = [unixSeconds: number, value: number];

export interface SeriesSamples {
  labels: Record<string, string>;
  points: Point[];
}

export interface MetricFamily {
  /** The name PromQL sees; counters must end in `_total` (e.g. container_cpu_usage_seconds_total). */
  name: string;
  type: MetricType;
  help?: string;
  samples: SeriesSamples[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Renders families as one OpenMetrics exposition ending in `# EOF`. Families given more than once under the
 * same name (as the per-container generators produce them) are merged into one block of lines, because
 * OpenMetrics forbids a family to reappear after another one started.
 */
export function openMetrics(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of mergeByName(families)) {
    const familyName = familyNameOf(family);
    if (family.help !== undefined) lines.push(`# HELP ${familyName} ${escapeText(family.help)}`);
    lines.push(`# TYPE ${familyName} ${family.type}`);
    const seen = new Set<string>();
    for (const series of family.samples) {
      const selector = family.name + renderLabels(series.labels);
      if (seen.has(selector)) throw new Error(`series given twice: ${selector}`);
      seen.add(selector);
      for (const [time, value] of sortedPoints(selector, series.points)) {
        lines.push(`${selector} ${value} ${time}`);
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function mergeByName(families: MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const family of families) {
    const known = byName.get(family.name);
    if (!known) {
      byName.set(family.name, { ...family, samples: [...family.samples] });
      continue;
    }
    if (known.type !== family.type)
      throw new Error(`${family.name} is given as both ${known.type} and ${family.type}`);
    known.help ??= family.help;
    known.samples.push(...family.samples);
  }
  return [...byName.values()];
}

function familyNameOf(family: MetricFamily): string {
  if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name: ${family.name}`);
  if (family.type === 'gauge') return family.name;
  if (!family.name.endsWith('_total'))
    throw new Error(`OpenMetrics counter samples end in _total; got ${family.name}`);
  return family.name.slice(0, -'_total'.length);
}

function renderLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name] of pairs) {
    if (!LABEL_NAME.test(name) || name === '__name__') throw new Error(`invalid label name: ${name}`);
  }
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeText(value)}"`).join(',')}}`;
}

/** OpenMetrics escapes the same three characters in label values and HELP text. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sortedPoints(selector: string, points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < sorted.length; i++) {
    const [time, value] = sorted[i]!;
    // cAdvisor never exports NaN or Inf: one here is a bug in a test's rate or size function.
    if (!Number.isFinite(time) || !Number.isFinite(value))
      throw new Error(`${selector}: non-finite point [${time}, ${value}]`);
    // promtool keeps milliseconds, so points closer than that would collide (and one would be dropped).
    if (i > 0 && Math.round(sorted[i - 1]![0] * 1000) === Math.round(time * 1000))
      throw new Error(`${selector}: two points at ${time}`);
  }
  return sorted;
}
