import type { Locator, Page } from 'playwright-core';

/** The menu entries, in the seed's order, then the settings page. */
export const MENU = {
  quotas: '/quotas',
  namespaceQuotas: '/namespace-quotas',
  upload: '/upload',
  reports: '/reports',
  export: '/export',
  scheduler: '/scheduler',
  k8s: '/k8s',
  prometheus: '/prometheus',
  settings: '/settings',
} as const;

export type MenuKey = keyof typeof MENU;
export type Language = 'zh' | 'en';

/**
 * The console's frame: header (product name, API docs link, language switch, server status) and the
 * left menu. Paths are relative: give the browser context a `baseURL`.
 */
export class AppShell {
  constructor(readonly page: Page) {}

  /** Opens `path` and waits until the console has rendered. */
  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await this.page.getByTestId('side-nav').waitFor();
  }

  menuItem(key: MenuKey): Locator {
    return this.page.getByTestId(`nav-${key}`);
  }

  /** Clicks a menu entry and waits for its page. */
  async navigate(key: MenuKey): Promise<void> {
    await this.menuItem(key).click();
    await this.page.waitForURL((url) => url.pathname === MENU[key]);
    await this.pageTitle().waitFor();
  }

  /** The visible menu labels, top to bottom. */
  async menuLabels(): Promise<string[]> {
    return this.page.getByTestId('side-nav').locator('.nav-label-text').allInnerTexts();
  }

  /** Hovers a menu entry and returns its tooltip (the seed's description of the menu). */
  async menuTooltip(key: MenuKey): Promise<string> {
    await this.menuItem(key).hover();
    const tooltip = this.page.getByRole('tooltip').filter({ visible: true }).last();
    await tooltip.waitFor();
    const text = await tooltip.innerText();
    await this.page.mouse.move(0, 0);
    return text.trim();
  }

  /** The page's `h4` title. */
  pageTitle(): Locator {
    return this.page.getByTestId('page-title');
  }

  productName(): Locator {
    return this.page.getByTestId('product-name');
  }

  apiDocsLink(): Locator {
    return this.page.getByTestId('api-docs-link');
  }

  /** The language in use, read from `<html lang>`. */
  async language(): Promise<Language> {
    const lang = await this.page.locator('html').getAttribute('lang');
    return lang?.startsWith('en') ? 'en' : 'zh';
  }

  /** Switches the language (it is kept in localStorage across reloads). */
  async setLanguage(language: Language): Promise<void> {
    await this.page.getByTestId(`language-${language}`).click();
    await this.page.waitForFunction(
      (expected) => document.documentElement.lang.startsWith(expected),
      language === 'en' ? 'en' : 'zh',
    );
  }

  /** True once /api/health answered; false when it failed; waits for either. */
  async serverUp(): Promise<boolean> {
    const status = this.page.getByTestId('server-status');
    await status.waitFor();
    return (await status.getAttribute('data-up')) === 'true';
  }
}
