import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { RuntimeFactory } from './runtime';
import { EXIT_REJECTED, fixed, printDetails, printJson, printTable } from './output';

export function quotasCommand(program: Command, withRuntime: RuntimeFactory): void {
  const quotas = program.command('quotas').description('project quotas (项目配额管理)');

  quotas
    .command('list')
    .description('list quotas')
    .option('-s, --search <text>', 'substring of project name or cloud_id')
    .option('--json', 'machine-readable output')
    .action((opts: { search?: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const list = await services.quotas.list(opts.search);
        if (opts.json) return printJson(list);
        printTable(
          ['云序号', '项目名称', 'CPU配额(核)', '内存配额(GB)', 'source'],
          list.items.map((q) => [
            q.cloud_id,
            q.project_name,
            q.cpu_quota,
            fixed(q.memory_quota, 2),
            q.source,
          ]),
        );
      }),
    );

  quotas
    .command('import')
    .description('import the quota template (xlsx), upserting by 云序号')
    .argument('<file>', 'xlsx file with columns 云序号 | 项目名称 | CPU配额(核) | 内存配额(GB)')
    .option('--partial', 'store the valid rows when some rows have errors')
    .option('--json', 'machine-readable output')
    .action((file: string, opts: { partial?: boolean; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const data = await fs.readFile(file);
        const result = await services.quotas.importWorkbook(data, path.basename(file), {
          partial: opts.partial === true,
        });
        if (opts.json) {
          printJson(result);
          if (result.errors.length > 0) process.exitCode = EXIT_REJECTED;
          return;
        }
        console.log(
          `${path.basename(file)}: ${result.total_rows} row(s): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected_rows} rejected`,
        );
        if (result.errors.length > 0) {
          printDetails(result.errors);
          process.exitCode = EXIT_REJECTED;
        }
      }),
    );

  quotas
    .command('export')
    .description('write all quotas as an xlsx in the template layout')
    .requiredOption('-o, --output <file>', 'xlsx file to write')
    .option('--json', 'machine-readable output: the file written and its rows')
    .action((opts: { output: string; json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const { workbook, rows } = await services.quotas.exportWorkbook();
        await fs.writeFile(opts.output, workbook);
        if (opts.json) return printJson({ path: path.resolve(opts.output), rows });
        console.log(`wrote ${opts.output}: ${rows} quota(s)`);
      }),
    );
}
