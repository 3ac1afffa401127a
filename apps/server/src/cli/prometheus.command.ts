import fs from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { IsoDate, UsageStrategy } from '@kra/contracts';
import type { UsageSyncResult } from '@kra/contracts';
import { AppError } from '../services/app-error';
import type { Runtime } from '../main';
import type { RuntimeFactory } from './runtime';
import { EXIT_FAILED, printJson, printTable } from './output';

function date(value: string): string {
  if (!IsoDate.safeParse(value).success)
    throw new InvalidArgumentError(`"${value}" is not a date as YYYY-MM-DD`);
  return value;
}

async function sourceIds(runtime: Runtime, names: string | undefined): Promise<number[] | undefined> {
  if (names === undefined) return undefined;
  const all = (await runtime.services.prometheus.list()).items;
  return names.split(',').map((name) => {
    const found = all.find((s) => s.name === name.trim());
    if (!found)
      throw new AppError(
        'not_found',
        'prometheus_not_found',
        `no Prometheus source named "${name.trim()}" (kra prometheus list shows them)`,
      );
    return found.id;
  });
}

/** The source-days of one or more days' syncs, in one table; errors on stderr. */
export function printUsageSync(results: UsageSyncResult[]): void {
  printTable(
    [
      'date',
      'source',
      'cluster',
      'strategy',
      'ok',
      'namespaces',
      'pods',
      'queries',
      'retries',
      'batches',
      'seconds',
    ],
    results.flatMap((result) =>
      result.sources.map((s) => [
        result.date,
        s.name,
        s.cluster_name,
        s.strategy,
        s.ok ? 'yes' : 'NO',
        s.namespaces,
        s.pods,
        s.queries,
        s.retries,
        s.batches,
        (s.duration_ms / 1000).toFixed(1),
      ]),
    ),
  );
  for (const s of results.flatMap((r) => r.sources))
    for (const e of s.errors) process.stderr.write(`  ${e.message}\n`);
}

export function prometheusCommand(program: Command, withRuntime: RuntimeFactory): void {
  const prometheus = program.command('prometheus').description('Prometheus usage sources (Prometheus接入)');
  prometheus
    .command('list')
    .description('sources, without their secrets')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const list = await services.prometheus.list();
        if (opts.json) return printJson(list);
        printTable(
          ['id', 'name', 'url', 'cluster', 'selector', 'strategy', 'last sync'],
          list.items.map((s) => [
            s.id,
            s.name,
            s.url,
            s.cluster_name,
            s.selector,
            s.strategy,
            s.last_sync_at ? `${s.last_sync_ok ? 'ok' : 'failed'} ${s.last_sync_message}` : '-',
          ]),
        );
      }),
    );
  prometheus
    .command('add')
    .description('add a source')
    .requiredOption('--name <name>', 'source name')
    .requiredOption('--url <url>', 'Prometheus (or Thanos, VictoriaMetrics, Mimir) URL')
    .requiredOption('--cluster <name>', 'the cluster it measures')
    .option('--selector <matchers>', 'label matchers for a shared Prometheus, e.g. cluster="prod"')
    .option('--strategy <strategy>', 'pod-peak, replica-dedup, concurrent-peak or average', 'pod-peak')
    .option('--bearer-token-file <file>', 'file holding a bearer token')
    .option('--header <name=value...>', 'extra headers, e.g. X-Scope-OrgID=tenant-a')
    .option('--json', 'machine-readable output')
    .action(
      (opts: {
        name: string;
        url: string;
        cluster: string;
        selector?: string;
        strategy: string;
        bearerTokenFile?: string;
        header?: string[];
        json?: boolean;
      }) =>
        withRuntime(opts, async ({ services }) => {
          const strategy = UsageStrategy.safeParse(opts.strategy);
          if (!strategy.success)
            throw new AppError(
              'invalid_input',
              'invalid_strategy',
              `--strategy "${opts.strategy}": use ${UsageStrategy.options.join(', ')}`,
            );
          const headers = Object.fromEntries(
            (opts.header ?? []).map((h) => {
              const at = h.indexOf('=');
              if (at < 1)
                throw new AppError('invalid_input', 'invalid_header', `--header "${h}": use NAME=VALUE`);
              return [h.slice(0, at), h.slice(at + 1)];
            }),
          );
          const created = await services.prometheus.create({
            name: opts.name,
            url: opts.url,
            cluster_name: opts.cluster,
            selector: opts.selector ?? null,
            strategy: strategy.data,
            headers,
            ...(opts.bearerTokenFile
              ? {
                  auth_kind: 'bearer' as const,
                  secret: (await fs.readFile(opts.bearerTokenFile, 'utf8')).trim(),
                }
              : {}),
          });
          if (opts.json) return printJson(created);
          console.log(
            `added Prometheus source ${created.name} (id ${created.id}) for cluster ${created.cluster_name}, ${created.strategy}`,
          );
        }),
    );
  prometheus
    .command('test')
    .description('check the version, the scrape targets and the metrics a sync needs')
    .argument('<name>', 'source name')
    .option('--json', 'machine-readable output')
    .action((name: string, opts: { json?: boolean }) =>
      withRuntime(opts, async (runtime) => {
        const [id] = (await sourceIds(runtime, name))!;
        const test = await runtime.services.prometheus.test(id!);
        if (opts.json) printJson(test);
        else console.log(`${test.ok ? 'ok' : 'FAILED'}: ${test.message}`);
        if (!test.ok) process.exitCode = EXIT_FAILED;
      }),
    );

  const sync =
    program.commands.find((c) => c.name() === 'sync') ??
    program.command('sync').description('synchronise from the clusters');
  sync
    .command('usage')
    .description('sync daily usage from Prometheus: one date (default yesterday) or a range, day by day')
    .option('--date <date>', 'the day to sync', date)
    .option('--from <date>', 'first day of a range', date)
    .option('--to <date>', 'last day of a range (included)', date)
    .option('--source <names>', 'comma-separated source names (default: all)')
    .option('--json', 'machine-readable output')
    .action((opts: { date?: string; from?: string; to?: string; source?: string; json?: boolean }) =>
      withRuntime(opts, async (runtime) => {
        const ids = await sourceIds(runtime, opts.source);
        if ((opts.from === undefined) !== (opts.to === undefined) || (opts.from && opts.date)) {
          throw new AppError('invalid_input', 'invalid_range', 'give --date, or both --from and --to');
        }
        if (!opts.from) {
          const result = await runtime.services.usageSync.syncDate(opts.date, ids);
          if (opts.json) printJson(result);
          else printUsageSync([result]);
          if (!result.ok) process.exitCode = EXIT_FAILED;
          return;
        }
        const controller = new AbortController();
        const cancel = () => {
          process.stderr.write('\ncancelling: the day under way stops now and keeps its earlier figures\n');
          controller.abort();
        };
        process.once('SIGINT', cancel);
        try {
          const results = await runtime.services.backfill.run(opts.from, opts.to!, ids, {
            signal: controller.signal,
            onProgress: (p) => {
              if (!p.result) process.stderr.write(`[${p.done + 1}/${p.total}] ${p.date}…\n`);
              else if (!opts.json) printUsageSync([p.result]);
            },
          });
          if (opts.json) printJson({ results, cancelled: controller.signal.aborted });
          if (controller.signal.aborted || results.some((r) => !r.ok)) process.exitCode = EXIT_FAILED;
        } finally {
          process.off('SIGINT', cancel);
        }
      }),
    );
}
