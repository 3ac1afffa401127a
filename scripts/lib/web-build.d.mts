/** Runs the Vite build of apps/web when dist is missing or stale; throws when it fails. */
export function ensureWebBuild(label: string): void;
