// A loopback HTTP proxy in front of the real Prometheus that a test can switch, at runtime, to being slow,
// failing, refusing credentials or gone, while it records every request the product sends.
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PrometheusErrorBody } from './api';

/** Narrows a fault to some requests; the others pass untouched. */
export interface FaultScope {
  /** Only requests whose PromQL (the `query` parameter) matches; requests without one never match. */
  match?: RegExp;
  /** Only the first N requests in scope; after them everything passes again. */
  times?: number;
}

export type ProxyMode =
  | 'pass'
  /** The listener is closed and open connections are cut: the product sees a refused connection. */
  | 'down'
  | ({ mode: 'slow'; delayMs: number } & FaultScope)
  /** `body` is sent as JSON, or as text/plain when a string (what a load balancer in front would send). */
  | ({ mode: 'error'; status: number; body: PrometheusErrorBody | string } & FaultScope);

export interface RecordedRequest {
  method: string;
  /** The URL path, e.g. /api/v1/query. */
  path: string;
  /** URL parameters and, for a form POST (what the product sends), the form's fields. */
  params: Record<string, string>;
  /** The PromQL, from `params.query`. */
  query: string | undefined;
  /** The evaluation time as sent, from `params.time`. */
  time: string | undefined;
  headers: IncomingHttpHeaders;
  /** What the proxy did with it. */
  outcome: 'passed' | 'slowed' | 'error' | 'unauthorized';
}

export function bearerAuth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function basicAuth(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

export class FaultyProxy {
  /** http://127.0.0.1:PORT; the port stays the same across 'down' and back. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];

  private mode: ProxyMode = 'pass';
  private left = Infinity;
  private required: Record<string, string> = {};
  private readonly sockets = new Set<Socket>();
  // Aborted when the proxy goes down or stops, so requests being held by 'slow' end with their connection.
  private cut = new AbortController();

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
    private readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.serve(req, res).catch(() => res.destroy());
    });
  }

  static async start(targetUrl: string, mode: ProxyMode = 'pass'): Promise<FaultyProxy> {
    const server = http.createServer();
    await listen(server, 0);
    const proxy = new FaultyProxy(server, new URL(targetUrl), (server.address() as AddressInfo).port);
    await proxy.setMode(mode);
    return proxy;
  }

  /** Switches behaviour for the requests that follow; `times` counts from this call. */
  async setMode(mode: ProxyMode): Promise<void> {
    const wasDown = this.mode === 'down';
    this.mode = mode;
    this.left = typeof mode === 'string' ? Infinity : (mode.times ?? Infinity);
    if (mode === 'down' && !wasDown) await this.disconnect();
    if (mode !== 'down' && wasDown) await listen(this.server, this.port);
  }

  /**
   * Answers 401 unless every given header has exactly the given value (names are case-insensitive), as an
   * authenticating reverse proxy or a multi-tenant gateway (X-Scope-OrgID) would; {} lets everything in.
   */
  requireHeaders(headers: Record<string, string>): void {
    this.required = Object.fromEntries(Object.entries(headers).map(([name, v]) => [name.toLowerCase(), v]));
  }

  /** The PromQL of every recorded query, oldest first. */
  queries(): string[] {
    return this.requests.flatMap((r) => (r.query === undefined ? [] : [r.query]));
  }

  async stop(): Promise<void> {
    if (this.mode !== 'down') await this.disconnect();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const params = Object.fromEntries(url.searchParams);
    if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      params,
      query: params.query,
      time: params.time,
      headers: req.headers,
      outcome: 'passed',
    };
    this.requests.push(record);

    if (Object.entries(this.required).some(([name, value]) => req.headers[name] !== value)) {
      record.outcome = 'unauthorized';
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('Unauthorized\n');
      return;
    }
    const mode = this.takeFault(record.query);
    if (mode?.mode === 'error') {
      record.outcome = 'error';
      const { status, body: reply } = mode;
      if (typeof reply === 'string')
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(reply);
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      return;
    }
    if (mode?.mode === 'slow') {
      record.outcome = 'slowed';
      await sleep(mode.delayMs, undefined, { signal: this.cut.signal });
    }
    await this.forward(req, body, res);
  }

  /** The fault that applies to this request, if any, counting it against `times`. */
  private takeFault(query: string | undefined): Exclude<ProxyMode, 'pass' | 'down'> | undefined {
    const mode = this.mode;
    if (typeof mode === 'string' || this.left <= 0) return undefined;
    // search() rather than test(): a /g RegExp would carry lastIndex from one request to the next.
    if (mode.match && (query === undefined || query.search(mode.match) < 0)) return undefined;
    this.left--;
    return mode;
  }

  private forward(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const upstream = http.request(
        new URL(req.url ?? '/', this.target),
        { method: req.method, headers: { ...req.headers, host: this.target.host }, signal: this.cut.signal },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('close', resolve);
        },
      );
      upstream.on('error', (error) => {
        // Prometheus itself gone (stopped by the test): answer as a reverse proxy would.
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`${error.message}\n`);
        else res.destroy();
        resolve();
      });
      upstream.end(body);
    });
  }

  private async disconnect(): Promise<void> {
    this.cut.abort();
    this.cut = new AbortController();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
