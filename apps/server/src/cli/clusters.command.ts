import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_PROJECT_LABEL } from '@kra/contracts';
import type { ConnectionTest, SyncResult } from '@kra/contracts';
import { AppError } from '../services/app-error';
import type { Runtime } from '../main';
import type { RuntimeFactory } from './runtime';
import { EXIT_FAILED, printJson, printTable } from './output';

async function clusterIds(runtime: Runtime, names: string | undefined): Promise<number[] | undefined> {
  if (names === undefined) return undefined;
  const all = (await runtime.services.clusters.list()).items;
  return names.split(',').map((name) => {
    const found = all.find((c) => c.name === name.trim());
    if (!found)
      throw new AppError(
        'not_found',
        'cluster_not_found',
        `no cluster named "${name.trim()}" (kra clusters list shows them)`,
      );
    return found.id;
  });
}

export function printSync(title: string, result: SyncResult): void {
  console.log(title);
  printTable(
    [
      'cluster',
      'ok',
      'created',
      'updated',
      'unchanged',
      'skipped',
      'removed',
      'namespaces',
      'requests',
      'seconds',
    ],
    result.clusters.map((c) => [
      c.cluster_name,
      c.ok ? 'yes' : 'NO',
      c.created,
      c.updated,
      c.unchanged,
      c.skipped,
      c.removed,
      c.namespaces,
      c.requests,
      (c.duration_ms / 1000).toFixed(1),
    ]),
  );
  for (const c of result.clusters) for (const e of c.errors) process.stderr.write(`  ${e.message}\n`);
  if (result.skipped_projects.length > 0)
    console.log(`manual quotas left as they are: ${result.skipped_projects.join(', ')}`);
}

function describeTest(test: ConnectionTest): string {
  const lines = [`${test.ok ? 'ok' : 'FAILED'}: ${test.message}`];
  if (test.version)
    lines.push(
      `  version ${test.version}${test.identity ? `, user ${test.identity}` : ''}${test.groups.length ? ` (${test.groups.join(', ')})` : ''}`,
    );
  for (const p of test.permissions)
    lines.push(`  ${p.allowed ? '✓' : '✗'} ${p.verb} ${p.group ? `${p.resource}.${p.group}` : p.resource}`);
  if (test.projectquota_crd !== null)
    lines.push(`  ProjectQuota CRD: ${test.projectquota_crd ? 'present' : 'absent'}`);
  return lines.join('\n');
}

export function clustersCommand(program: Command, withRuntime: RuntimeFactory): void {
  const clusters = program.command('clusters').description('Kubernetes cluster connections (K8s接入)');

  clusters
    .command('list')
    .description('clusters, without their credentials')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const list = await services.clusters.list();
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'name', 'server', 'auth', 'quota source', 'project label', 'last test', 'last sync'],
          list.items.map((c) => [
            c.id,
            c.name,
            c.server + (c.insecure_skip_tls_verify ? ' (TLS NOT VERIFIED)' : ''),
            c.auth_kind,
            c.quota_source,
            c.project_label ?? '(namespace = project)',
            c.last_test ? (c.last_test.ok ? 'ok' : c.last_test.error_kind) : '-',
            c.last_sync_at ? `${c.last_sync_ok ? 'ok' : 'failed'} ${c.last_sync_at}` : '-',
          ]),
        );
      }),
    );

  clusters
    .command('add')
    .description('add a cluster from a kubeconfig file (stored encrypted)')
    .requiredOption('--name <name>', 'cluster name')
    .option('--kubeconfig <file>', 'kubeconfig file (YAML or base64)')
    .option('--in-cluster', 'use the service account of the pod this runs in')
    .option('--resourcequota', 'sum namespace ResourceQuotas instead of reading the ProjectQuota CRD')
    .option('--project-label <key>', 'namespace label naming the project', DEFAULT_PROJECT_LABEL)
    .option('--namespace-is-project', 'each namespace is its own project')
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        name: string;
        kubeconfig?: string;
        inCluster?: boolean;
        resourcequota?: boolean;
        projectLabel: string;
        namespaceIsProject?: boolean;
        json?: boolean;
      }) =>
        withRuntime(opts, async ({ services }) => {
          if (!opts.inCluster && !opts.kubeconfig)
            throw new AppError(
              'invalid_input',
              'kubeconfig_missing',
              'give --kubeconfig FILE or --in-cluster',
            );
          const created = await services.clusters.create({
            name: opts.name,
            kind: opts.inCluster ? 'in-cluster' : 'kubeconfig',
            ...(opts.kubeconfig ? { kubeconfig: await fs.readFile(opts.kubeconfig, 'utf8') } : {}),
            use_projectquota: !opts.resourcequota,
            project_label: opts.namespaceIsProject ? null : opts.projectLabel,
          });
          if (opts.json) return printJson(created);
          console.log(
            `added cluster ${created.name} (id ${created.id}): ${created.server}, ${created.auth_kind}`,
          );
        }),
    );

  clusters
    .command('test')
    .description('connect and check version, identity and permissions')
    .argument('<name>', 'cluster name')
    .option('--json', 'machine-readable output')
    .action((name: string, opts: { json?: boolean }) =>
      withRuntime(opts, async (runtime) => {
        const [id] = (await clusterIds(runtime, name))!;
        const test = await runtime.services.clusters.test(id!);
        if (opts.json) printJson(test);
        else console.log(describeTest(test));
        if (!test.ok) process.exitCode = EXIT_FAILED;
      }),
    );

  clusters
    .command('delete')
    .description('delete a cluster and its synced namespace quotas')
    .argument('<name>', 'cluster name')
    .action((name: string) =>
      withRuntime({}, async (runtime) => {
        const [id] = (await clusterIds(runtime, name))!;
        await runtime.services.clusters.remove(id!);
        console.log(`deleted cluster ${name}`);
      }),
    );

  const sync = program.command('sync').description('synchronise from the clusters');
  sync
    .command('quotas')
    .description('sync namespace quotas, then project quotas, from all clusters or the ones named')
    .option('--cluster <names>', 'comma-separated cluster names (default: all)')
    .option('--namespaces-only', 'only the namespace quotas')
    .option('--projects-only', 'only the project quotas')
    .option('--json', 'machine-readable output')
    .action((opts: { cluster?: string; namespacesOnly?: boolean; projectsOnly?: boolean; json?: boolean }) =>
      withRuntime(opts, async (runtime) => {
        const ids = await clusterIds(runtime, opts.cluster);
        const out: Record<string, SyncResult> = {};
        if (!opts.projectsOnly) out.namespace_quotas = await runtime.services.quotaSync.syncNamespaces(ids);
        if (!opts.namespacesOnly)
          out.project_quotas = await runtime.services.quotaSync.syncProjectQuotas(ids);
        if (opts.json) printJson(out);
        else {
          if (out.namespace_quotas) printSync('namespace quotas', out.namespace_quotas);
          if (out.project_quotas) printSync('project quotas', out.project_quotas);
        }
        if (Object.values(out).some((r) => !r.ok)) process.exitCode = EXIT_FAILED;
      }),
    );
}
