import type { Settings, SettingsUpdate } from '@kra/contracts';
import type { SettingsRepository } from '../ports';

export class SettingsService {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly defaultTimezone: string,
  ) {}

  async get(): Promise<Settings> {
    const saved = await this.repository.get();
    return {
      export_cap_at_one: saved.exportCapAtOne ?? true,
      timezone: saved.timezone ?? this.defaultTimezone,
    };
  }

  async update(patch: SettingsUpdate): Promise<Settings> {
    await this.repository.save({
      ...(patch.export_cap_at_one !== undefined ? { exportCapAtOne: patch.export_cap_at_one } : {}),
      ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
    });
    return this.get();
  }
}
