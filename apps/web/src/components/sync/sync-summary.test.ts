import type { ClusterSyncResult } from '@kra/contracts';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { syncSummary } from './sync-summary';

/** Writes the key and its values, so a test sees which message was chosen and with what. */
const t = ((key: string, values: object) => `${key} ${JSON.stringify(values)}`) as unknown as TFunction;

const cluster = (name: string, ok: boolean, errors = 0): ClusterSyncResult => ({
  cluster_id: 1,
  cluster_name: name,
  ok,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  removed: 0,
  errors: Array.from({ length: errors }, (_, i) => ({
    code: 'bad_quantity',
    field: `ns-${i}`,
    message: 'x',
  })),
  namespaces: 0,
  requests: 2,
  duration_ms: 5,
});
const summary = (clusters: ClusterSyncResult[]) =>
  syncSummary(t, { ok: clusters.every((c) => c.ok), clusters, skipped_projects: [] });

describe('syncSummary', () => {
  it('is a success only when every cluster synced without a problem', () => {
    expect(summary([cluster('a', true), cluster('b', true)])).toEqual({
      type: 'success',
      text: 'sync.allOk {"count":2}',
    });
  });

  it('warns about problems of single namespaces in clusters that synced', () => {
    expect(summary([cluster('a', true, 2), cluster('b', true, 1)])).toEqual({
      type: 'warning',
      text: 'sync.allOkWithProblems {"count":2,"problems":3}',
    });
  });

  it('counts failed clusters', () => {
    expect(summary([cluster('a', false, 1), cluster('b', true)])).toEqual({
      type: 'warning',
      text: 'sync.someFailed {"failed":1,"count":2}',
    });
    expect(summary([cluster('a', false, 1)])).toEqual({ type: 'error', text: 'sync.allFailed {"count":1}' });
  });
});
