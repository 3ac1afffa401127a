import { addDays, dateInZone } from '../domain/day-window';
import { prometheusCatchUp } from '../domain/schedule';
import type { PrometheusSourceRecord, UsageRepository } from '../ports';
import type { SettingsService } from './settings.service';

/** Which days the scheduled Prometheus sync covers: the source-days of its window that have no synced batch. */
export class PrometheusCatchUpService {
  constructor(
    private readonly usage: Pick<UsageRepository, 'prometheusDaysSynced'>,
    private readonly settings: SettingsService,
  ) {}

  /** Per day (oldest first), the sources to sync: see `prometheusCatchUp`. */
  async plan(
    sources: PrometheusSourceRecord[],
    yesterday: string,
    limitDays: number,
  ): Promise<{ date: string; sourceIds: number[] }[]> {
    const { timezone } = await this.settings.get();
    const synced = await this.usage.prometheusDaysSynced(addDays(yesterday, -(limitDays - 1)), yesterday);
    return prometheusCatchUp(
      sources.map((s) => ({ id: s.id, firstDay: dateInZone(Date.parse(s.createdAt), timezone) })),
      synced,
      yesterday,
      limitDays,
    );
  }
}
