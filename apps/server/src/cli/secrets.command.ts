import type { Command } from 'commander';
import type { RuntimeFactory } from './runtime';
import { printJson } from './output';

export function secretsCommand(program: Command, withRuntime: RuntimeFactory): void {
  const secrets = program
    .command('secrets')
    .description('the key that encrypts stored kubeconfigs and Prometheus secrets');
  secrets
    .command('rotate')
    .description(
      're-encrypt every stored secret with KRA_SECRET_KEY (the old key in KRA_SECRET_KEY_PREVIOUS)',
    )
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withRuntime(opts, async ({ services }) => {
        const kubeconfigs = await services.clusters.resealSecrets();
        const prometheus = await services.prometheus.resealSecrets();
        if (opts.json) return printJson({ kubeconfigs, prometheus });
        console.log(
          `re-encrypted ${kubeconfigs.resealed} kubeconfig(s) and ${prometheus.resealed} Prometheus secret(s); ${kubeconfigs.current + prometheus.current} already used the current key`,
        );
      }),
    );
}
