import { Agent, fetch } from 'undici';
import { z } from 'zod';
import { PromError } from '../../ports';
import type { PrometheusAccess, PrometheusClient, PrometheusConnection, PromSample } from '../../ports';

/** Far above a day's per-pod results of a large cluster (~1 MB per 5,000 pods); beyond it, split. */
const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

const ApiError = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() });
const VectorResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});
const LabelValuesResponse = z.object({ status: z.literal('success'), data: z.array(z.string()) });
const BuildInfoResponse = z.object({
  status: z.literal('success'),
  data: z.object({ version: z.string(), revision: z.string().optional() }),
});

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/;

function classify(status: number, body: string, server: string): PromError {
  const parsed = ApiError.safeParse(safeJson(body));
  const detail = parsed.success ? parsed.data.error : body.trim().slice(0, 200);
  const type = parsed.success ? parsed.data.errorType : '';
  if (status === 401 || status === 403)
    return new PromError('unauthorized', `${server} refused the credentials (${status})`, status);
  if (type === 'timeout' || status === 504 || /timed out|timeout/i.test(detail))
    return new PromError('timeout', `${server}: the query timed out (${detail})`, status);
  // A limit answers 422: errorType "execution" from Prometheus, Thanos and Mimir, "422" from
  // VictoriaMetrics; each words it its own way, naming samples, series, chunks or bytes.
  const overLimit = /too many samples|too many series|exceeded|limit/i.test(detail);
  const executionLimit =
    status === 422 && (type === 'execution' || type === '422') && /sample|series|chunk|bytes/i.test(detail);
  if (overLimit || executionLimit || status === 413) {
    return new PromError('too_expensive', `${server}: the query is too expensive (${detail})`, status);
  }
  if (status === 503)
    return new PromError(
      'overloaded',
      `${server} is overloaded or unavailable (503${detail ? `: ${detail}` : ''})`,
      status,
    );
  if (status === 400 || type === 'bad_data')
    return new PromError('bad_query', `${server}: the query was refused as invalid (${detail})`, status);
  return new PromError('server', `${server} answered ${status}${detail ? `: ${detail}` : ''}`, status);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Prometheus HTTP API v1 (also Thanos, VictoriaMetrics, Mimir): instant queries by POST. */
export class HttpPrometheusClient implements PrometheusClient {
  private sent = 0;
  private readonly dispatcher: Agent;
  private readonly base: string;

  constructor(private readonly connection: PrometheusConnection) {
    this.base = connection.url.replace(/\/+$/, '');
    this.dispatcher = new Agent({
      connect: {
        rejectUnauthorized: !connection.insecure,
        ...(connection.caPem ? { ca: connection.caPem } : {}),
      },
    });
  }

  get queryCount(): number {
    return this.sent;
  }

  async query(promql: string, timeUnix: number, signal?: AbortSignal): Promise<PromSample[]> {
    const body = new URLSearchParams({ query: promql, time: String(timeUnix) });
    const text = await this.request('/api/v1/query', body, signal);
    const parsed = VectorResponse.safeParse(safeJson(text));
    if (!parsed.success)
      throw new PromError('server', `${this.base}: the answer to a query is not a Prometheus vector result`);
    return parsed.data.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  async labelValues(
    label: string,
    match: string,
    range: { startUnix: number; endUnix: number },
    signal?: AbortSignal,
  ): Promise<string[]> {
    const params = new URLSearchParams({
      'match[]': match,
      start: String(range.startUnix),
      end: String(range.endUnix),
    });
    const path = `/api/v1/label/${encodeURIComponent(label)}/values`;
    const parsed = LabelValuesResponse.safeParse(
      safeJson(await this.request(`${path}?${params}`, undefined, signal)),
    );
    if (!parsed.success)
      throw new PromError('server', `${this.base}${path} did not answer with a list of label values`);
    return parsed.data.data;
  }

  async buildInfo(): Promise<{ version: string; revision: string | null }> {
    const parsed = BuildInfoResponse.safeParse(safeJson(await this.request('/api/v1/status/buildinfo')));
    if (!parsed.success)
      throw new PromError(
        'server',
        `${this.base}/api/v1/status/buildinfo did not answer with build information`,
      );
    return { version: parsed.data.data.version, revision: parsed.data.data.revision ?? null };
  }

  private async request(path: string, form?: URLSearchParams, cancel?: AbortSignal): Promise<string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.connection.headers };
    const { auth } = this.connection;
    if (auth.kind === 'bearer') headers.authorization = `Bearer ${auth.token}`;
    if (auth.kind === 'basic')
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    this.sent += 1;
    const timeout = AbortSignal.timeout(this.connection.timeoutMs);
    const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    let response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method: form ? 'POST' : 'GET',
        headers,
        ...(form ? { body: form.toString() } : {}),
        dispatcher: this.dispatcher,
        signal,
      });
    } catch (error) {
      throw this.transportError(error, cancel);
    }
    let text: string;
    try {
      text = await readCapped(response.body, MAX_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof PromError)
        throw new PromError(
          'too_large',
          `${this.base}: the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`,
        );
      throw this.transportError(error, cancel);
    }
    if (!response.ok) throw classify(response.status, text, this.base);
    return text;
  }

  private transportError(error: unknown, cancel?: AbortSignal): PromError {
    if (cancel?.aborted) return new PromError('cancelled', `${this.base}: cancelled`);
    const e = error as {
      name?: string;
      cause?: { code?: string; message?: string };
      code?: string;
      message?: string;
    };
    const code = e.cause?.code ?? e.code ?? '';
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return new PromError(
        'timeout',
        `${this.base} did not answer within ${Math.round(this.connection.timeoutMs / 1000)} s`,
      );
    }
    if (TLS_CODES.test(code))
      return new PromError(
        'tls',
        `TLS verification of ${this.base} failed (${code}): check the CA certificate`,
      );
    const cause = code || e.cause?.message || e.message;
    return new PromError('unreachable', `${this.base} is unreachable${cause ? ` (${cause})` : ''}`);
  }
}

async function readCapped(body: AsyncIterable<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) throw new PromError('too_large', 'too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class HttpPrometheusAccess implements PrometheusAccess {
  connect(connection: PrometheusConnection): PrometheusClient {
    return new HttpPrometheusClient(connection);
  }
}
