// The fake kube-apiserver: an HTTPS server on 127.0.0.1 with its own CA, taking each request through the
// real server's stages in order — authentication (401), injected faults, authorization (403), then the
// handlers — and recording every request it receives.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import type {
  DelayFault,
  DenyRule,
  FailFault,
  FakeClusterState,
  FakeKubeApiServerOptions,
  IssuedClientCertificate,
  NamespaceInput,
  ProjectQuotaInput,
  RecordedRequest,
  ResourceQuotaInput,
  WorkloadInput,
  WorkloadResource,
} from './types';
import type { CertificateAuthority } from './certificates';
import { createCertificateAuthority, issueClientCertificate, issueServerCertificate } from './certificates';
import { Authenticator, Authorizer } from './auth';
import { Faults } from './faults';
import { ObjectStore } from './store';
import { requestInfo } from './request-info';
import type { Reply } from './handlers';
import { DEFAULT_VERSION, handle } from './handlers';
import { faultStatus, forbidden, forbiddenPath, status, unauthorized } from './status';
import type { KubeconfigOptions } from './kubeconfig';
import { buildKubeconfig } from './kubeconfig';

export class FakeKubeApiServer {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** The CA that signed the serving certificate and verifies client certificates. */
  readonly caPem: string;

  private readonly store = new ObjectStore();
  private readonly authenticator: Authenticator;
  private readonly authorizer = new Authorizer();
  private readonly faults = new Faults();
  private readonly log: RecordedRequest[] = [];
  private readonly issued = new Map<string, IssuedClientCertificate>();
  private readonly pendingDelays = new Set<() => void>();
  private readonly version: Record<string, string>;
  private stopped = false;
  private handshakes = 0;

  private constructor(
    private readonly server: https.Server,
    private readonly ca: CertificateAuthority,
    private readonly sockets: Set<Socket>,
    private readonly options: FakeKubeApiServerOptions,
    port: number,
  ) {
    this.url = `https://127.0.0.1:${port}`;
    this.caPem = ca.certPem;
    this.authenticator = new Authenticator(ca.certPem, options.anonymousAuth ?? false);
    const overrides = Object.entries(options.version ?? {}).filter(
      (e): e is [string, string] => e[1] !== undefined,
    );
    this.version = { ...DEFAULT_VERSION, ...Object.fromEntries(overrides) };
    for (const [token, who] of Object.entries(options.tokens ?? {})) {
      if (typeof who === 'string') this.addToken(token, who);
      else this.addToken(token, who.username, who.groups);
    }
    if (options.state) this.setState(options.state);
    server.on('secureConnection', () => this.handshakes++);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.serve(req, res).catch((error: unknown) => this.crash(res, error));
    });
  }

  static async start(options: FakeKubeApiServerOptions = {}): Promise<FakeKubeApiServer> {
    const ca = await createCertificateAuthority();
    const serving = await issueServerCertificate(ca);
    const server = https.createServer({
      key: serving.keyPem,
      cert: serving.certPem,
      // Client certificates are requested but optional, and verified by the authenticator rather than by
      // OpenSSL. The CA is deliberately not given to the TLS layer: OpenSSL would then append it to the chain it
      // serves, and a client with the wrong CA would see "self-signed certificate in certificate chain" instead
      // of the "unable to verify the first certificate" a real apiserver (leaf-only chain) provokes.
      requestCert: true,
      rejectUnauthorized: false,
    });
    // Tracked from the first byte so stop() can cut connections that are still handshaking.
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('fake kube-apiserver: no TCP address');
    return new FakeKubeApiServer(server, ca, sockets, options, address.port);
  }

  /** Closes the listener and every open connection; requests still being delayed are dropped. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const release of this.pendingDelays) release();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // --- authentication and authorization -------------------------------------------------------------------

  addToken(token: string, user: string, groups: string[] = []): void {
    this.authenticator.addToken(token, user, groups);
  }

  /** A client certificate signed by this server's CA: CN = user, one O per group. Remembered for kubeconfig(). */
  async issueClientCertificate(user: string, groups: string[] = []): Promise<IssuedClientCertificate> {
    const cert = await issueClientCertificate(this.ca, user, groups);
    this.issued.set(user, cert);
    return cert;
  }

  /** Makes matching requests by `user` ('*' = anyone) answer 403, and SelfSubjectAccessReviews say allowed: false. */
  deny(user: string, rule: DenyRule): void {
    this.authorizer.deny(user, rule);
  }

  clearDenials(): void {
    this.authorizer.clear();
  }

  // --- data -------------------------------------------------------------------------------------------------

  /** Replaces the collections named in `state` (others stay). Every change moves resourceVersion on. */
  setState(state: FakeClusterState): void {
    this.store.apply(state);
  }

  setNamespaces(namespaces: NamespaceInput[]): void {
    this.setState({ namespaces });
  }

  setResourceQuotas(resourcequotas: ResourceQuotaInput[]): void {
    this.setState({ resourcequotas });
  }

  setProjectQuotas(projectquotas: ProjectQuotaInput[]): void {
    this.setState({ projectquotas });
  }

  /** false uninstalls the ProjectQuota CRD: its paths answer 404 and /apis stops listing auth.alauda.io. */
  setProjectQuotaCrd(present: boolean): void {
    this.setState({ projectQuotaCrd: present });
  }

  setWorkloads(resource: WorkloadResource, items: WorkloadInput[]): void {
    this.setState({ [resource]: items });
  }

  /** The current resourceVersion (etcd revision). */
  get resourceVersion(): string {
    return String(this.store.current().revision);
  }

  /** Compacts history: every continue token issued so far answers 410 Expired from now on. */
  expireContinueTokens(): void {
    this.store.compact();
  }

  // --- faults -----------------------------------------------------------------------------------------------

  fail(spec: FailFault): void {
    this.faults.fail(spec);
  }

  delay(spec: DelayFault): void {
    this.faults.delay(spec);
  }

  /** Removes every fail() and delay() still pending. */
  reset(): void {
    this.faults.reset();
  }

  // --- accounting -------------------------------------------------------------------------------------------

  /** Every request received, in arrival order (TLS handshakes that failed never become requests). */
  get requests(): readonly RecordedRequest[] {
    return this.log;
  }

  requestCount(pathPrefix?: string): number {
    return pathPrefix === undefined
      ? this.log.length
      : this.log.filter((r) => r.path.startsWith(pathPrefix)).length;
  }

  /**
   * TLS connections completed since start (or clearRequests()). client-node 1.4 builds a new https.Agent for
   * every request, so expect one connection — and one handshake — per request.
   */
  get connectionCount(): number {
    return this.handshakes;
  }

  /** Forgets the recorded requests and the connection count. */
  clearRequests(): void {
    this.log.length = 0;
    this.handshakes = 0;
  }

  // --- kubeconfig -------------------------------------------------------------------------------------------

  kubeconfig(options: KubeconfigOptions): string {
    return buildKubeconfig(this, options, (user) => this.issued.get(user));
  }

  // --- request pipeline -------------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    // Concatenated rather than resolved, so a path such as //x stays a path instead of naming a host.
    const url = new URL(`${this.url}${req.url ?? '/'}`);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      user: null,
      status: 0,
    };
    this.log.push(record);
    const rawBody = await readBody(req);

    // Authenticated before any delay so that a request still being delayed already shows who sent it.
    const user = this.authenticator.authenticate(req.socket as TLSSocket, req.headers);
    if (user !== 'unauthorized') record.user = user.username;

    const wait = this.faults.takeDelay(method, url.pathname);
    if (wait > 0) await this.sleep(wait);
    if (this.stopped || res.destroyed) return;
    if (user === 'unauthorized') return this.send(res, record, unauthorized());

    const fault = this.faults.takeFailure(method, url.pathname);
    if (fault?.status === 'reset') {
      res.socket?.destroy();
      return;
    }
    if (fault) {
      const made = faultStatus(fault.status, fault.message, fault.retryAfterSeconds);
      const text = fault.body === 'text' ? textFor(made) : undefined;
      return this.send(res, record, text ?? made);
    }

    const info = requestInfo(method, url.pathname, url.searchParams);
    if (!this.authorizer.allows(user, info)) {
      const denied = info.isResource
        ? forbidden({ user: user.username, ...info })
        : forbiddenPath(user.username, info.verb, info.path);
      return this.send(res, record, denied);
    }

    const reply = handle({
      store: this.store,
      authorizer: this.authorizer,
      user,
      info,
      method,
      query: url.searchParams,
      body: parseBody(rawBody),
      serverAddress: url.host,
      version: this.version,
      unregisteredPaths: this.options.unregisteredPaths ?? 'status',
    });
    this.send(res, record, reply);
  }

  private send(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
    record.status = reply.code;
    if (res.destroyed || res.writableEnded) return;
    const isText = 'text' in reply;
    const payload = isText ? reply.text : JSON.stringify(reply.body);
    res.writeHead(reply.code, {
      // kube-apiserver sends these on every reply; Audit-Id is what one quotes to a cluster admin.
      'Audit-Id': randomUUID(),
      'Cache-Control': 'no-cache, private',
      'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json',
      ...(isText ? { 'X-Content-Type-Options': 'nosniff' } : {}),
      ...(record.user
        ? { 'X-Kubernetes-Pf-Flowschema-Uid': FLOW_SCHEMA, 'X-Kubernetes-Pf-Prioritylevel-Uid': PRIORITY }
        : {}),
      ...(reply.headers ?? {}),
    });
    res.end(record.method === 'HEAD' ? undefined : payload);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.pendingDelays.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.pendingDelays.add(release);
    });
  }

  private crash(res: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (res.headersSent || res.destroyed) return;
    const made = status(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    });
    res.writeHead(500, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(made.body));
  }
}

const FLOW_SCHEMA = randomUUID();
const PRIORITY = randomUUID();

/** The plain-text form of a fault, as kube-apiserver's own filters write it (http.Error). */
function textFor(made: Reply): Reply {
  const message = 'body' in made && typeof made.body.message === 'string' ? made.body.message : '';
  return { code: made.code, text: `${message}\n`, headers: made.headers };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // A client that gives up mid-body still leaves a recorded request behind.
    req.on('error', () => resolve(''));
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
