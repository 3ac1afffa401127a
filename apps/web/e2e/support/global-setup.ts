import { ensureWebBuild } from '../../../../scripts/lib/web-build.mjs';

/** The browser tests drive the built console, as `npm start` serves it. */
export default function setup(): void {
  ensureWebBuild('[e2e]');
}
