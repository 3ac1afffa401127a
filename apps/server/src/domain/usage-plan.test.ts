import { describe, expect, it } from 'vitest';
import type { ContainerSeries, PlannedPart } from './usage-plan';
import { ownsFigure, planUsageParts, podKey } from './usage-plan';

const c = (namespace: string, pod: string, container: string, series = 1): ContainerSeries => ({
  namespace,
  pod,
  container,
  series,
});

// shop/web-7d9f-abcde: one container, one series; shop/db-0: db + exporter, one series each;
// shop/api-5c6b-xyzzy: api scraped twice + a sidecar; shop-b/db-0: one container (same pod name as
// shop's); shop-b/cache-0: one container in two series (restarted in the day).
const census = [
  c('shop', 'web-7d9f-abcde', 'web'),
  c('shop', 'db-0', 'db'),
  c('shop', 'db-0', 'exporter'),
  c('shop', 'api-5c6b-xyzzy', 'api', 2),
  c('shop', 'api-5c6b-xyzzy', 'istio-proxy'),
  c('shop-b', 'db-0', 'db'),
  c('shop-b', 'cache-0', 'cache', 2),
];

const summary = (parts: PlannedPart[]) =>
  parts.map((p) => [p.shape, p.limit, p.keys ? [...p.keys].map((k) => k.replace('\u0000', '/')) : null]);

describe('planUsageParts', () => {
  it('pod strategies: per-series for one-container pods, a sum for several, the max first for repeated series', () => {
    expect(summary(planUsageParts('pod-peak', census))).toEqual([
      ['per-series', null, null],
      ['sum', { label: 'pod', values: ['db-0'] }, ['shop/db-0']],
      ['dedup-sum', { label: 'pod', values: ['api-5c6b-xyzzy'] }, ['shop/api-5c6b-xyzzy']],
    ]);
    expect(summary(planUsageParts('replica-dedup', census))).toEqual(
      summary(planUsageParts('pod-peak', census)),
    );
  });

  it('a one-container pod in two series stays per-series: the max of the peaks is the peak', () => {
    const parts = planUsageParts('pod-peak', census);
    expect(ownsFigure(parts, 0, podKey('shop-b', 'cache-0'))).toBe(true);
  });

  it('a pod name limited for one namespace does not take the same name elsewhere', () => {
    const parts = planUsageParts('pod-peak', census);
    // the sum part's `pod=~"db-0"` also returns shop-b/db-0: its figure comes from the whole-cluster part
    expect(ownsFigure(parts, 1, podKey('shop', 'db-0'))).toBe(true);
    expect(ownsFigure(parts, 1, podKey('shop-b', 'db-0'))).toBe(false);
    expect(ownsFigure(parts, 0, podKey('shop-b', 'db-0'))).toBe(true);
    expect(ownsFigure(parts, 0, podKey('shop', 'db-0'))).toBe(false);
    // a pod the census did not see is measured by the whole-cluster part
    expect(ownsFigure(parts, 0, podKey('shop', 'late-pod'))).toBe(true);
  });

  it('namespace strategies: the max first only in namespaces with a container of several series', () => {
    const quiet = [c('quiet', 'web-1', 'web'), c('quiet', 'web-1', 'envoy'), ...census];
    expect(summary(planUsageParts('average', quiet))).toEqual([
      ['per-series', null, null],
      ['dedup-sum', { label: 'namespace', values: ['shop', 'shop-b'] }, ['shop', 'shop-b']],
    ]);
    expect(summary(planUsageParts('concurrent-peak', quiet))).toEqual([
      ['sum', null, null],
      ['dedup-sum', { label: 'namespace', values: ['shop', 'shop-b'] }, ['shop', 'shop-b']],
    ]);
    const parts = planUsageParts('average', quiet);
    expect(ownsFigure(parts, 0, 'quiet')).toBe(true);
    expect(ownsFigure(parts, 0, 'shop')).toBe(false);
  });

  it('an empty census leaves the whole cluster to the cheap part', () => {
    expect(summary(planUsageParts('pod-peak', []))).toEqual([['per-series', null, null]]);
  });

  it('splits a long list so each alternation stays within the limit', () => {
    const pods = ['aaaa', 'bbbb', 'cc', 'dddddddddddd'].flatMap((p) => [
      c('ns', p, 'app'),
      c('ns', p, 'side'),
    ]);
    // "aaaa|bbbb" is 9 characters; "|cc" would make 12; the 12-character name stands alone
    expect(planUsageParts('pod-peak', pods, 10).map((p) => p.limit?.values)).toEqual([
      undefined,
      ['aaaa', 'bbbb'],
      ['cc'],
      ['dddddddddddd'],
    ]);
  });
});
