import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cpuCounter,
  DAY,
  HOUR,
  memoryGauge,
  openMetrics,
  PrometheusServer,
  utc,
} from '../helpers/prometheus';
import { buildTestApp, testDialects } from '../helpers/test-runtime';
import type { TestApp } from '../helpers/test-runtime';

/** 2026-11-20 in Asia/Shanghai (the tests' zone) starts at 2026-11-19T16:00Z. */
const START = utc('2026-11-19T16:00:00Z');

/**
 * Two all-day pods idling at 0.1 core, each with a CPU spike at midnight:
 * - aligned/a-0, scraped every 30 s on the minute and half minute: 10 cores over the last scrape
 *   interval of 2026-11-19, (23:59:30, 00:00:00]. The interval lies wholly before midnight.
 * - straddling/b-0, scraped every 60 s at :30: its scrape interval (23:59:30, 00:00:30] spans midnight
 *   and averages 5.05 cores (30 s at 10 cores, 30 s at 0.1).
 */
function dataset(): string {
  const span = { from: START - DAY - HOUR, to: START + DAY + HOUR };
  const aligned = { namespace: 'aligned', pod: 'a-0', container: 'app', ...span, scrapeSeconds: 30 };
  const straddling = {
    namespace: 'straddling',
    pod: 'b-0',
    container: 'app',
    from: span.from - 30,
    to: span.to,
    scrapeSeconds: 60,
  };
  return openMetrics([
    cpuCounter({ ...aligned, coresUsed: (t) => (t === START ? 10 : 0.1) }),
    memoryGauge({ ...aligned, bytes: () => 2 ** 30 }),
    cpuCounter({ ...straddling, coresUsed: (t) => (t === START + 30 ? 5.05 : 0.1) }),
    memoryGauge({ ...straddling, bytes: () => 2 ** 30 }),
  ]);
}

let prometheus: PrometheusServer;
beforeAll(async () => {
  prometheus = await PrometheusServer.start({ openMetrics: dataset() });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});

describe.each(testDialects())('CPU at midnight on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  /** pod-peak CPU per namespace (each its own project: no cluster is connected). */
  const cpuOf = async (date: string) => {
    const result = (await t.app.inject({ method: 'POST', url: `/api/prometheus/sync?date=${date}` })).json();
    expect(result.ok).toBe(true);
    const report = (await t.app.inject({ url: `/api/reports/${date}` })).json();
    return Object.fromEntries(
      report.rows.map((r: { project_name: string; cpu_usage: number }) => [
        r.project_name,
        Math.round(r.cpu_usage * 1e6) / 1e6,
      ]),
    );
  };

  it('a spike wholly before midnight stays in the day before; the scrape interval spanning midnight counts to the day it ends in', async () => {
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/prometheus/configs',
      payload: { name: 'prom', url: prometheus.url, cluster_name: 'prod', strategy: 'pod-peak' },
    });
    expect(added.statusCode).toBe(201);
    // 2026-11-19's last step, midnight itself, sees a-0's interval (23:59:30, 00:00:00]: 10 cores;
    // b-0's last interval there ends at 23:59:30: 0.1
    expect(await cpuOf('2026-11-19')).toEqual({ aligned: 10, straddling: 0.1 });
    // 2026-11-20: midnight's step is not the day's (its newest sample is not after the start); at
    // 00:01 a-0's last two samples are 00:00:30 and 00:01:00: 0.1. b-0's are 23:59:30 and 00:00:30:
    // irate is that interval's average, 5.05, counted here and on no other day
    expect(await cpuOf('2026-11-20')).toEqual({ aligned: 0.1, straddling: 5.05 });
  });
});
