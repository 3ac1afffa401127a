// Prometheus speaks Unix seconds (OpenMetrics timestamps, the `time=` query parameter); tests think in UTC dates.

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;

/** Unix seconds of an ISO 8601 instant, e.g. utc('2026-11-21T00:00:00Z'). Throws on an unparseable string. */
export function utc(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 instant: ${iso}`);
  return ms / 1000;
}
