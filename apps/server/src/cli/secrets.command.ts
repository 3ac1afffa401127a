import type { Command } from 'commander';
import type { RuntimeFactory } from './runtime';
import { printJson } from './output';

export function secretsCommand(program: Command, withRuntime: RuntimeFactory): void {
  const secrets = program.command('secrets').description('the key that encrypts stored kubeconfigs');
  secrets
    .command('rotate')
    .description(
      're-encrypt every stored secret with KRA_SECRET_KEY (the old key in KRA_SECRET_KEY_PREVIOUS)',
    )
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const result = await services.clusters.resealSecrets();
        if (opts.json) return printJson(result);
        console.log(
          `re-encrypted ${result.resealed} secret(s); ${result.current} already used the current key`,
        );
      }),
    );
}
