import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Launches Debian's headless Chromium (or CHROMIUM_PATH). The flags keep it from opening background
 * connections, which this machine's closed network refuses, and make it work as root and in containers.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Path for a screenshot: test-output/screenshots/<name>.png under the repo root (the folder is created). */
export function screenshotPath(name: string): string {
  const file = path.join(repoRoot, 'test-output', 'screenshots', `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}
