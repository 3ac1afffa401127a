import { z } from 'zod';

export const Settings = z
  .object({
    export_cap_at_one: z.boolean().describe('Cap exported rates at 1 (100 %), as the seed does'),
    timezone: z.string().describe('IANA zone that defines the 24 h of a report date'),
  })
  .meta({ id: 'Settings' });
export type Settings = z.infer<typeof Settings>;

export const SettingsUpdate = z
  .object({
    export_cap_at_one: z.boolean(),
    timezone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone such as Asia/Shanghai'),
  })
  .partial()
  .meta({ id: 'SettingsUpdate' });
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;
