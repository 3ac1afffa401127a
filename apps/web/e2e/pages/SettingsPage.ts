import type { Page } from 'playwright-core';
import { formErrors, saveWasSent } from './antd';

/** 系统设置 (/settings). */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/settings');
    await this.page.getByTestId('settings-cap').waitFor();
  }

  /** Whether “导出时利用率封顶为 1” is on (as shown, saved or not). */
  async capAtOne(): Promise<boolean> {
    return (await this.page.getByTestId('settings-cap').getAttribute('aria-checked')) === 'true';
  }

  async timezone(): Promise<string> {
    return this.page.getByTestId('settings-timezone').locator('input').inputValue();
  }

  /** Changes the given settings and saves. Returns the field errors shown, [] when saved. */
  async save(changes: { capAtOne?: boolean; timezone?: string }): Promise<string[]> {
    if (changes.capAtOne !== undefined && (await this.capAtOne()) !== changes.capAtOne) {
      await this.page.getByTestId('settings-cap').click();
    }
    if (changes.timezone !== undefined) {
      const input = this.page.getByTestId('settings-timezone').locator('input');
      await input.fill(changes.timezone);
      await this.page.keyboard.press('Escape');
    }
    const root = this.page.getByTestId('settings-page');
    const before = (await root.getAttribute('data-saved-at')) ?? '0';
    await this.page.getByTestId('settings-save').click();
    const sent = await saveWasSent(this.page.locator('body'), '[data-testid="settings-page"]', before);
    if (sent) {
      await this.page
        .locator('[data-testid="settings-page"]:is([data-save-status="success"], [data-save-status="error"])')
        .waitFor();
      if ((await root.getAttribute('data-save-status')) === 'success') return [];
    }
    return [...(await formErrors(root)), ...(await root.getByTestId('api-error').allInnerTexts())];
  }

  async setCapAtOne(on: boolean): Promise<string[]> {
    return this.save({ capAtOne: on });
  }

  async setTimezone(timezone: string): Promise<string[]> {
    return this.save({ timezone });
  }
}
