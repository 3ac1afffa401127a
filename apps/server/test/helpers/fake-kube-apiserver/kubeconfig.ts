// Writes kubeconfig YAML for the fake server. The YAML is emitted by hand (block style, every string in JSON
// double quotes, which YAML reads identically) so the helper needs no YAML dependency of its own.
import { fileURLToPath } from 'node:url';
import type { IssuedClientCertificate } from './types';

/** The credential plugin run by `auth: 'exec'` kubeconfigs (with process.execPath, i.e. this Node). */
export const EXEC_CREDENTIAL_SCRIPT = fileURLToPath(new URL('./exec-credential.mjs', import.meta.url));

export type KubeconfigAuth =
  | { auth: 'token'; token: string }
  /** Uses `certificate`, or else the certificate last issued for `user` by issueClientCertificate(). */
  | { auth: 'client-certificate'; user: string; certificate?: IssuedClientCertificate }
  | {
      auth: 'exec';
      token: string;
      /**
       * RFC 3339. client-node caches a credential only until this time; without it the plugin runs again for
       * every single request.
       */
      expirationTimestamp?: string;
      /** The plugin appends a line to this file on each run, so tests can count runs. */
      countFile?: string;
      /** The plugin prints this to stderr and exits 1. */
      failWith?: string;
    }
  /** No credentials at all. */
  | { auth: 'none' };

export type KubeconfigOptions = KubeconfigAuth & {
  /** Embed certificate-authority-data (default true; ignored with insecureSkipTlsVerify). */
  caData?: boolean;
  /** A different CA to embed, e.g. to provoke a TLS verification failure. */
  caPem?: string;
  /** Omit the CA and set insecure-skip-tls-verify: true. */
  insecureSkipTlsVerify?: boolean;
  /** Server URL; default the fake's https://127.0.0.1:PORT (https://localhost:PORT also matches its SANs). */
  server?: string;
  tlsServerName?: string;
  clusterName?: string;
  contextName?: string;
  userName?: string;
  namespace?: string;
};

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

export function buildKubeconfig(
  target: { url: string; caPem: string },
  options: KubeconfigOptions,
  issuedFor: (user: string) => IssuedClientCertificate | undefined,
): string {
  const clusterName = options.clusterName ?? 'fake-cluster';
  const contextName = options.contextName ?? 'fake';
  const userName = options.userName ?? 'fake-user';

  const cluster: { [key: string]: Yaml } = { server: options.server ?? target.url };
  if (options.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  else if (options.caData ?? true) cluster['certificate-authority-data'] = b64(options.caPem ?? target.caPem);
  if (options.tlsServerName) cluster['tls-server-name'] = options.tlsServerName;

  const context: { [key: string]: Yaml } = { cluster: clusterName, user: userName };
  if (options.namespace) context.namespace = options.namespace;

  const doc: { [key: string]: Yaml } = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
    users: [{ name: userName, user: userEntry(options, issuedFor) }],
    preferences: {},
  };
  return toYaml(doc).join('\n') + '\n';
}

function userEntry(
  options: KubeconfigAuth,
  issuedFor: (user: string) => IssuedClientCertificate | undefined,
): { [key: string]: Yaml } {
  switch (options.auth) {
    case 'token':
      return { token: options.token };
    case 'client-certificate': {
      const cert = options.certificate ?? issuedFor(options.user);
      if (!cert) {
        throw new Error(
          `fake kube-apiserver: no client certificate for "${options.user}": await issueClientCertificate() first`,
        );
      }
      return { 'client-certificate-data': b64(cert.certPem), 'client-key-data': b64(cert.keyPem) };
    }
    case 'exec': {
      const env: Yaml[] = [{ name: 'FAKE_TOKEN', value: options.token }];
      if (options.expirationTimestamp)
        env.push({ name: 'FAKE_EXPIRATION', value: options.expirationTimestamp });
      if (options.countFile) env.push({ name: 'FAKE_EXEC_COUNT_FILE', value: options.countFile });
      if (options.failWith) env.push({ name: 'FAKE_EXEC_FAIL', value: options.failWith });
      return {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [EXEC_CREDENTIAL_SCRIPT],
          env,
          interactiveMode: 'Never',
          provideClusterInfo: false,
        },
      };
    }
    case 'none':
      return {};
  }
}

function scalar(value: Yaml): string | undefined {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (!Array.isArray(value) && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function toYaml(value: Yaml, indent = ''): string[] {
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const flat = scalar(item);
      if (flat !== undefined) {
        lines.push(`${indent}- ${flat}`);
        continue;
      }
      // A mapping inside a sequence: its first key goes on the dash line, the rest align under it.
      const inner = toYaml(item, `${indent}  `);
      inner[0] = `${indent}- ${(inner[0] ?? '').slice(indent.length + 2)}`;
      lines.push(...inner);
    }
    return lines;
  }
  if (value === null || typeof value !== 'object') return [`${indent}${scalar(value) ?? ''}`];
  for (const [key, child] of Object.entries(value)) {
    const flat = scalar(child);
    if (flat !== undefined) lines.push(`${indent}${key}: ${flat}`);
    else lines.push(`${indent}${key}:`, ...toYaml(child, `${indent}  `));
  }
  return lines;
}
