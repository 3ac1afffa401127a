/** What a failed connection test can say went wrong; the hints are keyed by these. */
const TEST_ERROR_KINDS = [
  'unreachable',
  'tls',
  'unauthorized',
  'timeout',
  'no_metrics',
  'too_expensive',
  'too_large',
  'overloaded',
  'bad_query',
  'server',
  'secret_unreadable',
] as const;

type TestErrorKind = (typeof TEST_ERROR_KINDS)[number];

/** A test's `error_kind`, with any kind this console does not know read as a server error. */
export function errorKindKey(kind: string | null): TestErrorKind {
  return TEST_ERROR_KINDS.find((known) => known === kind) ?? 'server';
}
