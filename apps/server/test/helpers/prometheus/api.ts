// The slice of the Prometheus HTTP API v1 the tests read, and the error answers Prometheus 2.42 really gives
// (prometheus-harness.test.ts provokes each one from the real server, so the canned copies cannot drift).

export interface PrometheusErrorBody {
  status: 'error';
  errorType: string;
  error: string;
}

export interface VectorEntry {
  metric: Record<string, string>;
  value: [unixSeconds: number, value: string];
}

export type InstantQueryData =
  | { resultType: 'vector'; result: VectorEntry[] }
  | { resultType: 'scalar' | 'string'; result: [unixSeconds: number, value: string] }
  | {
      resultType: 'matrix';
      result: { metric: Record<string, string>; values: [unixSeconds: number, value: string][] }[];
    };

type QueryResponse = { status: 'success'; data: InstantQueryData } | PrometheusErrorBody;

/** A canned error answer: the HTTP status and the JSON body Prometheus sends with it. */
export interface PrometheusErrorReply {
  status: number;
  body: PrometheusErrorBody;
}

export const PROMETHEUS_ERRORS = {
  /** Over --query.max-samples (default 50M), e.g. a [1d:1s] subquery over many series. */
  tooManySamples: {
    status: 422,
    body: {
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    },
  },
  /**
   * Over --query.timeout or the request's `timeout=`. Prometheus names the stage it was in: "expression
   * evaluation" once evaluating, "query queue" or "query execution" when the deadline passed before.
   */
  timeout: {
    status: 503,
    body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' },
  },
  /** A PromQL syntax error; the position and message follow the parser. */
  badQuery: {
    status: 400,
    body: {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:17: parse error: unclosed left parenthesis',
    },
  },
} satisfies Record<string, PrometheusErrorReply>;

/** A non-success answer of the query API, with what came back for the test to inspect. */
export class PrometheusApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: PrometheusErrorBody,
  ) {
    super(`Prometheus answered ${status} ${body.errorType}: ${body.error}`);
    this.name = 'PrometheusApiError';
  }
}

/** An instant query (GET /api/v1/query) at `time`; rejects with PrometheusApiError on an error answer. */
export async function instantQuery(
  baseUrl: string,
  promql: string,
  time: number,
  options: { timeout?: string } = {},
): Promise<InstantQueryData> {
  const params = new URLSearchParams({ query: promql, time: String(time) });
  if (options.timeout !== undefined) params.set('timeout', options.timeout);
  const response = await fetch(`${baseUrl}/api/v1/query?${params}`);
  const body = (await response.json()) as QueryResponse;
  if (body.status === 'error') throw new PrometheusApiError(response.status, body);
  return body.data;
}

/** The vector an instant query returns, with numbers for values, sorted by labels for stable assertions. */
export function vectorOf(data: InstantQueryData): { metric: Record<string, string>; value: number }[] {
  if (data.resultType !== 'vector') throw new Error(`expected a vector, got a ${data.resultType}`);
  return data.result
    .map((entry) => ({ metric: entry.metric, value: Number(entry.value[1]) }))
    .sort((a, b) => {
      const ka = JSON.stringify(Object.entries(a.metric).sort());
      const kb = JSON.stringify(Object.entries(b.metric).sort());
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}
