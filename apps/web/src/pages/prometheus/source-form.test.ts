import type { PrometheusConfig } from '@kra/contracts';
import { describe, expect, it } from 'vitest';
import {
  createPayload,
  initialSourceValues,
  isHeaderName,
  isSourceUrl,
  secretRequired,
  updatePatch,
} from './source-form';

const source: PrometheusConfig = {
  id: 2,
  name: 'prom-prod',
  url: 'https://prometheus.prod:9090',
  cluster_name: 'prod',
  selector: 'cluster="prod"',
  strategy: 'replica-dedup',
  use_accurate_sync: true,
  memory_metric: 'usage_bytes',
  step: '1m',
  timeout_seconds: 60,
  tolerance: 1.5,
  auth_kind: 'bearer',
  username: null,
  header_names: ['X-Scope-OrgID'],
  has_ca: true,
  insecure_skip_tls_verify: false,
  last_test: null,
  last_sync_at: null,
  last_sync_ok: null,
  last_sync_message: null,
  last_sync: null,
  created_at: '2026-11-25T08:00:00.000Z',
  updated_at: '2026-11-25T08:00:00.000Z',
};

describe('checks', () => {
  it('takes http and https URLs only, and header names without spaces', () => {
    expect(isSourceUrl('https://prometheus:9090')).toBe(true);
    expect(isSourceUrl('ftp://prometheus')).toBe(false);
    expect(isSourceUrl('prometheus:9090')).toBe(false);
    expect(isHeaderName('X-Scope-OrgID')).toBe(true);
    expect(isHeaderName('X Scope')).toBe(false);
  });

  it('asks for a secret only when none of that kind is stored', () => {
    expect(secretRequired({ auth_kind: 'bearer' })).toBe(true);
    expect(secretRequired({ auth_kind: 'none' })).toBe(false);
    expect(secretRequired({ auth_kind: 'bearer' }, source)).toBe(false);
    expect(secretRequired({ auth_kind: 'basic' }, source)).toBe(true);
  });
});

describe('payloads', () => {
  it('sends a new source with its secret, headers and no empty selector', () => {
    expect(
      createPayload({
        ...initialSourceValues(),
        name: ' prom ',
        url: 'http://127.0.0.1:9090 ',
        cluster_name: 'prod',
        auth_kind: 'basic',
        username: ' reader ',
        secret: 'pw',
        headers: [
          { name: 'X-Scope-OrgID', value: 'tenant-a' },
          { name: ' ', value: 'ignored' },
        ],
      }),
    ).toEqual({
      name: 'prom',
      url: 'http://127.0.0.1:9090',
      cluster_name: 'prod',
      selector: null,
      strategy: 'pod-peak',
      tolerance: 1.5,
      memory_metric: 'usage_bytes',
      step: '1m',
      timeout_seconds: 60,
      auth_kind: 'basic',
      username: 'reader',
      secret: 'pw',
      headers: { 'X-Scope-OrgID': 'tenant-a' },
      ca_pem: null,
      insecure_skip_tls_verify: false,
    });
  });

  it('keeps the stored secret, headers and CA unless replaced or removed', () => {
    expect(updatePatch(source, initialSourceValues(source))).toEqual({});
    expect(
      updatePatch(source, {
        ...initialSourceValues(source),
        selector: '',
        strategy: 'pod-peak',
        secret: 'new-token',
        clear_headers: true,
        clear_ca: true,
      }),
    ).toEqual({ selector: null, strategy: 'pod-peak', secret: 'new-token', headers: {}, ca_pem: null });
    expect(
      updatePatch(source, {
        ...initialSourceValues(source),
        headers: [{ name: 'X-Scope-OrgID', value: 'tenant-b' }],
        clear_headers: true,
      }),
    ).toEqual({ headers: { 'X-Scope-OrgID': 'tenant-b' } });
  });
});
