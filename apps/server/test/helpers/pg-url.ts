import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * URL of the PostgreSQL server the suite runs against (`postgres://kra@127.0.0.1:PORT/postgres`, superuser,
     * trust auth), provided by apps/server/test/global-setup.ts. Undefined when DIALECTS has no `postgres`.
     */
    pgUrl: string | undefined;
  }
}

/**
 * URL of the test PostgreSQL server, or undefined when this run does not include the postgres dialect.
 * Call it inside a test file (in a worker), not in config or global setup.
 */
export function testPostgresUrl(): string | undefined {
  return inject('pgUrl') ?? process.env.KRA_TEST_PG_URL;
}
