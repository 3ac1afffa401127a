import yaml from 'js-yaml';
import type { AuthKind } from '@kra/contracts';
import { KubeconfigError } from '../../ports';
import type { KubeconfigSummary } from '../../ports';

type YamlMap = Record<string, unknown>;

export interface KubeconfigPolicy {
  /** KRA_ALLOW_KUBECONFIG_EXEC: let kubeconfigs run exec plugins and read files on this server. */
  allowExec: boolean;
}

/** What client-node is given: the current context only, so nothing else in the file is ever read. */
export interface ReducedKubeconfig {
  summary: KubeconfigSummary;
  /** JSON (valid YAML) holding just the current context, its cluster and its user. */
  reduced: string;
}

const isMap = (value: unknown): value is YamlMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Raw YAML, or the same as base64 (how the seed's Excel template carries it). */
export function decodeKubeconfig(input: string): string {
  const trimmed = input.trim();
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && !trimmed.includes(':')) {
    const decoded = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (decoded.includes(':') && !decoded.includes('\ufffd')) return decoded;
    throw new KubeconfigError(['the kubeconfig is neither YAML nor base64 of YAML']);
  }
  return input;
}

function named(list: unknown, key: 'cluster' | 'user' | 'context', name: string): YamlMap | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e) => isMap(e) && e.name === name);
  return isMap(entry) && isMap(entry[key]) ? (entry[key] as YamlMap) : undefined;
}

function authKindOf(user: YamlMap): AuthKind {
  if (user.exec !== undefined) return 'exec';
  if (user['auth-provider'] !== undefined) return 'auth-provider';
  if (user['client-certificate-data'] !== undefined || user['client-certificate'] !== undefined)
    return 'client-certificate';
  if (user.token !== undefined) return 'token';
  if (user['token-file'] !== undefined || user.tokenFile !== undefined) return 'token-file';
  if (user.username !== undefined || user.password !== undefined) return 'basic';
  return 'none';
}

/**
 * Checks a kubeconfig before client-node parses it (client-node reads `token-file` while parsing):
 * it must be YAML with a current context whose cluster has an https server URL (a bearer token or
 * basic-auth password would cross http in clear); unless the operator allowed it, it may not run
 * commands (exec, auth-provider) or read server files.
 */
export function inspectKubeconfig(input: string, policy: KubeconfigPolicy): ReducedKubeconfig {
  const text = decodeKubeconfig(input);
  let document: unknown;
  try {
    document = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (error) {
    const mark = error instanceof yaml.YAMLException ? error.mark : undefined;
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw new KubeconfigError([
      `the kubeconfig is not valid YAML${where}: ${error instanceof yaml.YAMLException ? error.reason : 'unreadable'}`,
    ]);
  }
  if (!isMap(document))
    throw new KubeconfigError(['the kubeconfig must be a YAML mapping with clusters, users and contexts']);
  const contextName = document['current-context'];
  if (typeof contextName !== 'string' || contextName === '')
    throw new KubeconfigError(['the kubeconfig has no current-context']);
  const context = named(document.contexts, 'context', contextName);
  if (!context) throw new KubeconfigError([`current-context "${contextName}" is not among the contexts`]);
  const clusterName = String(context.cluster ?? '');
  const userName = String(context.user ?? '');
  const cluster = named(document.clusters, 'cluster', clusterName);
  const problems: string[] = [];
  if (!cluster)
    problems.push(`context "${contextName}" names cluster "${clusterName}", which is not defined`);
  const user = named(document.users, 'user', userName) ?? (userName === '' ? {} : undefined);
  if (!user) problems.push(`context "${contextName}" names user "${userName}", which is not defined`);
  if (!cluster || !user) throw new KubeconfigError(problems);

  const server = typeof cluster.server === 'string' ? cluster.server : '';
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    problems.push(
      server === ''
        ? `cluster "${clusterName}" has no server`
        : `cluster "${clusterName}": server "${server}" is not a URL`,
    );
  }
  if (url && url.protocol === 'http:')
    problems.push(
      `cluster "${clusterName}": server "${server}" must be an https:// URL: over http:// the credentials would travel in clear`,
    );
  else if (url && url.protocol !== 'https:')
    problems.push(`cluster "${clusterName}": server "${server}" must be an https:// URL`);
  if (url && (url.username || url.password))
    problems.push(`cluster "${clusterName}": the server URL must not carry credentials`);

  const execCommand = isMap(user.exec) && typeof user.exec.command === 'string' ? user.exec.command : '';
  if (policy.allowExec && user.exec !== undefined && execCommand === '')
    problems.push(`user "${userName}": exec must be a mapping whose command names the plugin to run`);
  if (!policy.allowExec) {
    const refuse = (what: string) =>
      problems.push(`${what}; refused unless the operator sets KRA_ALLOW_KUBECONFIG_EXEC=true`);
    // Any value counts, not only a well-formed plugin: what client-node makes of a malformed one is
    // not this check's to guess.
    if (user.exec !== undefined)
      refuse(
        execCommand === ''
          ? `user "${userName}" has an exec plugin`
          : `user "${userName}" runs the command "${execCommand}" (exec plugin)`,
      );
    if (user['auth-provider'] !== undefined)
      refuse(`user "${userName}" uses an auth-provider, which can run commands`);
    for (const [key, dataKey] of [
      ['token-file', 'token'],
      ['tokenFile', 'token'],
      ['client-certificate', 'client-certificate-data'],
      ['client-key', 'client-key-data'],
    ] as const) {
      if (user[key] !== undefined)
        refuse(
          `user "${userName}" reads ${key} "${String(user[key])}" from the server's disk (use ${dataKey})`,
        );
    }
    if (cluster['certificate-authority'] !== undefined) {
      refuse(
        `cluster "${clusterName}" reads certificate-authority "${String(cluster['certificate-authority'])}" from the server's disk (use certificate-authority-data)`,
      );
    }
  }
  if (problems.length > 0) throw new KubeconfigError(problems);

  const reduced = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contextName,
    contexts: [{ name: contextName, context: { cluster: clusterName, user: userName } }],
    clusters: [{ name: clusterName, cluster }],
    users: [{ name: userName, user }],
  };
  return {
    summary: {
      server: url!.toString().replace(/\/$/, ''),
      context: contextName,
      cluster: clusterName,
      user: userName,
      authKind: authKindOf(user),
      insecure: cluster['insecure-skip-tls-verify'] === true,
      text,
    },
    reduced: JSON.stringify(reduced),
  };
}
