// Injected failures and slow replies. A fault matches on method (optional) and path; `times` counts down on
// each match and the fault disappears at zero, so "fail twice, then succeed" is one call.
import type { DelayFault, FailFault } from './types';

interface Counted<T> {
  spec: T;
  left: number;
}

function matches(spec: { method?: string; path: string | RegExp }, method: string, path: string): boolean {
  if (spec.method && spec.method.toUpperCase() !== method) return false;
  return typeof spec.path === 'string' ? spec.path === path : spec.path.test(path);
}

function take<T extends { method?: string; path: string | RegExp }>(
  list: Counted<T>[],
  method: string,
  path: string,
): T | undefined {
  const index = list.findIndex((c) => matches(c.spec, method, path));
  const found = list[index];
  if (!found) return undefined;
  found.left--;
  if (found.left <= 0) list.splice(index, 1);
  return found.spec;
}

export class Faults {
  private failures: Counted<FailFault>[] = [];
  private delays: Counted<DelayFault>[] = [];

  fail(spec: FailFault): void {
    this.failures.push({ spec, left: spec.times ?? Infinity });
  }

  delay(spec: DelayFault): void {
    this.delays.push({ spec, left: spec.times ?? Infinity });
  }

  reset(): void {
    this.failures = [];
    this.delays = [];
  }

  takeFailure(method: string, path: string): FailFault | undefined {
    return take(this.failures, method, path);
  }

  takeDelay(method: string, path: string): number {
    return take(this.delays, method, path)?.ms ?? 0;
  }
}
