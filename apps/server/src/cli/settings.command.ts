import type { Command } from 'commander';
import { SettingsUpdate } from '@kra/contracts';
import { AppError } from '../services/app-error';
import type { RuntimeFactory } from './runtime';
import { printJson } from './output';

export function settingsCommand(program: Command, withRuntime: RuntimeFactory): void {
  const settings = program.command('settings').description('settings (系统设置)');
  settings
    .command('show')
    .description('print the settings')
    .action(() => withRuntime({}, async ({ services }) => printJson(await services.settings.get())));
  settings
    .command('set')
    .description('change settings')
    .option('--export-cap-at-one <on|off>', 'cap exported rates at 1')
    .option('--timezone <zone>', 'IANA zone of the report day, e.g. Asia/Shanghai')
    .action((opts: { exportCapAtOne?: string; timezone?: string }) =>
      withRuntime({}, async ({ services }) => {
        const cap = opts.exportCapAtOne;
        if (cap !== undefined && !['on', 'off', 'true', 'false'].includes(cap)) {
          throw new AppError('invalid_input', 'invalid_value', `--export-cap-at-one "${cap}": use on or off`);
        }
        const patch = SettingsUpdate.safeParse({
          ...(cap !== undefined ? { export_cap_at_one: cap === 'on' || cap === 'true' } : {}),
          ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
        });
        if (!patch.success)
          throw new AppError(
            'invalid_input',
            'invalid_value',
            patch.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
        printJson(await services.settings.update(patch.data));
      }),
    );
}
