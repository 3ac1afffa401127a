import { describe, expect, it } from 'vitest';
import { dedupByReplicas, podsToKeep, sumPodPeaks, workloadMatcher } from './replica-dedup';
import type { PodPeak, Workload } from './replica-dedup';

const w = (namespace: string, kind: Workload['kind'], name: string, replicas: number): Workload => ({
  namespace,
  kind,
  name,
  replicas,
});
const p = (namespace: string, pod: string, cpuCores: number, memoryBytes = 0): PodPeak => ({
  namespace,
  pod,
  cpuCores,
  memoryBytes,
});

describe('workloadMatcher', () => {
  const match = workloadMatcher([
    w('shop', 'Deployment', 'api', 2),
    w('shop', 'Deployment', 'api-gateway', 1),
    w('shop', 'StatefulSet', 'db', 3),
    w('shop', 'DaemonSet', 'node-agent', 4),
    w('shop', 'Job', 'migrate', 1),
    w('shop', 'CronJob', 'report', 1),
  ]);
  it.each([
    ['api-7d9f8b6c5-x2k4m', 'api'],
    ['api-gateway-5c6b7d8f9-qwxzv', 'api-gateway'],
    ['db-0', 'db'],
    ['db-12', 'db'],
    ['node-agent-h7kq2', 'node-agent'],
    ['migrate-bq5wz', 'migrate'],
    ['report-29402880-8zt7x', 'report'],
  ])('%s belongs to %s', (pod, name) => {
    expect(match('shop', pod)?.name).toBe(name);
  });

  it.each(['api-x2k4m', 'db-primary', 'api-7d9f8b6c5-x2k4', 'other-7d9f8b6c5-x2k4m', 'api-7D9F8B6C5-x2k4m'])(
    '%s belongs to none',
    (pod) => {
      expect(match('shop', pod)).toBeUndefined();
    },
  );

  it('keeps namespaces apart', () => {
    expect(match('other', 'db-0')).toBeUndefined();
  });
});

describe('workloadMatcher with names the API server cut', () => {
  // A generateName prefix is cut to 58 characters before the 5 random ones (63 in all).
  const deployment = 'order-settlement-reconciliation-worker-eu-west-1ab'; // 50 characters
  const daemonSet = 'node-exporter-with-a-very-long-daemonset-name-for-gpu-nodes-a'; // 61
  const cronJob = 'nightly-billing-export-to-the-finance-data-warehouse'; // 52, the most a CronJob may have
  const job = 'database-schema-migration-for-the-payments-ledger-v2-eu'; // 55
  const longJob = 'rebuild-search-index-for-every-tenant-and-locale-in-eu-west1'; // 60
  const match = workloadMatcher([
    w('ops', 'Deployment', deployment, 2),
    w('ops', 'Deployment', deployment.slice(0, -1), 2),
    w('ops', 'DaemonSet', daemonSet, 3),
    w('ops', 'CronJob', cronJob, 1),
    w('ops', 'Job', job, 1),
    w('ops', 'Job', longJob, 1),
  ]);
  it.each([
    // ReplicaSet <deployment>-5f8d7c9b4 (60) + "-" is 61: cut to 58, 7 of the hash's 9 characters stay
    ['order-settlement-reconciliation-worker-eu-west-1ab-5f8d7c9x2k4m', deployment],
    // the 49-character sibling with a hash of 7: <replicaset>- is exactly 58, nothing cut
    ['order-settlement-reconciliation-worker-eu-west-1a-5f8d7c9-x2k4m', deployment.slice(0, -1)],
    // <daemonset>- (62) cut to 58: the name itself loses its last 3 characters
    ['node-exporter-with-a-very-long-daemonset-name-for-gpu-nodeh7kq2', daemonSet],
    // Job <cronjob>-29402880 (61) + "-" cut to 58: 5 of the 8 digits stay
    ['nightly-billing-export-to-the-finance-data-warehouse-294028zt7x', cronJob],
    // <job>- is 56: not cut
    ['database-schema-migration-for-the-payments-ledger-v2-eu-bq5wz', job],
    // indexed: <job>-123- (60) keeps its index, the job name is cut to 58 − 5 = 53 characters
    ['database-schema-migration-for-the-payments-ledger-v2--123-bq5wz', job],
    // <job>- (61) cut to 58
    ['rebuild-search-index-for-every-tenant-and-locale-in-eu-wesbq5wz', longJob],
  ])('%s belongs to %s', (pod, name) => {
    expect(pod).toHaveLength(pod.includes('-eu-bq5wz') ? 61 : 63);
    expect(match('ops', pod)?.name).toBe(name);
  });

  it.each([
    // 62 characters: 57 before the random part is no cut, and "…-5f8d7c" does not end in "-"
    'order-settlement-reconciliation-worker-eu-west-1ab-5f8d7c9x2k4',
    // longer than a pod name can be
    'order-settlement-reconciliation-worker-eu-west-1ab-5f8d7c9bx2k4m',
    // a vowel cannot be in a hash
    'order-settlement-reconciliation-worker-eu-west-1ab-5f8d7cax2k4m',
  ])('%s belongs to none', (pod) => {
    expect(match('ops', pod)).toBeUndefined();
  });
});

describe('podsToKeep', () => {
  it.each([
    // 100 × 1.15 is 114.99999999999999 in floating point; a person says 115
    [100, 1.15, 115],
    [20, 1.15, 23],
    [1000, 1.001, 1001],
    [3, 1.15, 3],
    [2, 1.5, 3],
    [7, 1.3, 9],
    [0, 1.5, 1],
  ])('⌊%i × %f⌋ = %i', (replicas, tolerance, kept) => {
    expect(podsToKeep(replicas, tolerance)).toBe(kept);
  });

  it('keeps 115 pods of a Deployment of 100 replicas at tolerance 1.15', () => {
    const pods = Array.from({ length: 120 }, (_, i) =>
      p(
        'a',
        `web-5f8d7c9b4-${'bcdfg'[i % 5]}${'hjklm'[Math.floor(i / 5) % 5]}${'npqrs'[Math.floor(i / 25)]}zz`,
        1,
      ),
    );
    expect(dedupByReplicas(pods, [w('a', 'Deployment', 'web', 100)], 1.15).workloads[0]).toMatchObject({
      podsSeen: 120,
      podsKept: 115,
      cpuCores: 115,
    });
  });
});

describe('dedupByReplicas', () => {
  it('keeps the largest ⌊replicas × 1.5⌋ peaks of a rolled-over Deployment, and unmatched pods as they are', () => {
    const GiB = 1024 ** 3;
    const pods = [
      // api had 2 replicas; a rolling update replaced both: 4 pods seen, ⌊2 × 1.5⌋ = 3 kept
      p('shop', 'api-6b7c8d9f5-bbbbb', 0.4, 1 * GiB),
      p('shop', 'api-6b7c8d9f5-ccccc', 0.5, 3 * GiB),
      p('shop', 'api-7d9f8b6c5-ddddd', 0.9, 2 * GiB),
      p('shop', 'api-7d9f8b6c5-fffff', 0.7, 2 * GiB),
      // db: 1 replica, one pod
      p('shop', 'db-0', 2, 8 * GiB),
      // no workload known: counted as it is
      p('shop', 'debug-shell', 0.1, 0.5 * GiB),
    ];
    const result = dedupByReplicas(
      pods,
      [w('shop', 'Deployment', 'api', 2), w('shop', 'StatefulSet', 'db', 1)],
      1.5,
    );
    // CPU: api 0.9 + 0.7 + 0.5 = 2.1 (0.4 dropped); db 2; debug-shell 0.1 → 4.2
    // memory: api 3 + 2 + 2 = 7 GiB (1 dropped); db 8; debug 0.5 → 15.5 GiB
    expect(result.namespaces).toEqual([
      { namespace: 'shop', cpuCores: expect.closeTo(4.2, 12), memoryBytes: 15.5 * GiB, pods: 6 },
    ]);
    expect(
      result.workloads.map((u) => [u.kind, u.name, u.replicas, u.podsSeen, u.podsKept, u.cpuCores]),
    ).toEqual([
      ['Deployment', 'api', 2, 4, 3, 2.1],
      ['StatefulSet', 'db', 1, 1, 1, 2],
      [null, 'debug-shell', null, 1, 1, 0.1],
    ]);
  });

  it('keeps at least one pod of a workload scaled to zero, and honours the tolerance', () => {
    const pods = [p('a', 'job-x-bq5wz', 1), p('a', 'job-x-bq5wx', 3)];
    expect(dedupByReplicas(pods, [w('a', 'Job', 'job-x', 0)], 1.5).namespaces[0]!.cpuCores).toBe(3);
    expect(dedupByReplicas(pods, [w('a', 'Job', 'job-x', 1)], 2).namespaces[0]!.cpuCores).toBe(4);
  });
});

describe('sumPodPeaks', () => {
  it('adds every pod of a namespace', () => {
    expect(sumPodPeaks([p('a', 'x', 1, 10), p('a', 'y', 2, 20), p('b', 'x', 4, 40)])).toEqual([
      { namespace: 'a', cpuCores: 3, memoryBytes: 30, pods: 2 },
      { namespace: 'b', cpuCores: 4, memoryBytes: 40, pods: 1 },
    ]);
  });
});
