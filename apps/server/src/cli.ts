import { Command } from 'commander';
import { clustersCommand } from './cli/clusters.command';
import { jobsCommand } from './cli/jobs.command';
import { prometheusCommand } from './cli/prometheus.command';
import { quotasCommand } from './cli/quotas.command';
import { reportsCommand } from './cli/reports.command';
import { withRuntime } from './cli/runtime';
import { secretsCommand } from './cli/secrets.command';
import { settingsCommand } from './cli/settings.command';
import { printJson } from './cli/output';
import { VERSION } from './version';

const program = new Command('kra')
  .description('k8s-resource-analyzer: project quota utilization from daily reports and clusters')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)');

program
  .command('serve')
  .description('start the web console and API (same as npm start, without building the console)')
  .action(async () => {
    await import('./server');
  });

program
  .command('migrate')
  .description('create or upgrade the database schema (the server also does this on start)')
  .option('--json', 'machine-readable output')
  .action((opts: { json?: boolean }) =>
    withRuntime(opts, async ({ migrations, database }) => {
      if (opts.json) return printJson({ database: database.dialect, applied: migrations });
      console.log(
        migrations.length > 0
          ? `applied ${migrations.join(', ')}`
          : `${database.dialect} schema is up to date`,
      );
    }),
  );

quotasCommand(program, withRuntime);
reportsCommand(program, withRuntime);
clustersCommand(program, withRuntime);
prometheusCommand(program, withRuntime);
jobsCommand(program, withRuntime);
secretsCommand(program, withRuntime);
settingsCommand(program, withRuntime);

await program.parseAsync(process.argv);
