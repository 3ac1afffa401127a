import fs from 'node:fs';
import net from 'node:net';
import type { ClusterTarget, KubeAccess, KubeClient, KubeconfigSummary } from '../../ports';
import { KubeError } from '../../ports';
import type { KubeClientOptions } from './client-node.kube-client';
import { inspectKubeconfig } from './kubeconfig';
import type { KubeconfigPolicy } from './kubeconfig';

/** Where the kubelet mounts a pod's service account, as client-node's loadFromCluster reads it. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Ports on which client-node's loadFromCluster speaks plain http. */
const PLAIN_HTTP_PORTS = new Set(['80', '8080', '8001']);

export class ClientNodeKubeAccess implements KubeAccess {
  constructor(
    private readonly policy: KubeconfigPolicy,
    private readonly clientOptions: KubeClientOptions,
    /** Where the service account is mounted, under `/var/run/secrets/kubernetes.io/serviceaccount` (tests use a temp dir). */
    private readonly serviceAccountRoot = '',
  ) {}

  inspect(kubeconfig: string): KubeconfigSummary {
    return inspectKubeconfig(kubeconfig, this.policy).summary;
  }

  /**
   * What loadFromCluster would use, checked first: it takes the API server from
   * KUBERNETES_SERVICE_HOST/PORT (https://undefined:undefined outside a pod) and reads the token
   * only when the first request is made.
   */
  inspectInCluster(): { server: string } {
    const host = process.env.KUBERNETES_SERVICE_HOST ?? '';
    const port = process.env.KUBERNETES_SERVICE_PORT ?? '';
    if (host === '' || port === '')
      throw new KubeError(
        'config',
        'in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set, so this server is not running in a Kubernetes pod; connect with a kubeconfig instead',
      );
    if (PLAIN_HTTP_PORTS.has(port))
      throw new KubeError(
        'config',
        `in-cluster: KUBERNETES_SERVICE_PORT is ${port}, on which the connection would be plain http and the service-account token would travel in clear`,
      );
    const dir = `${this.serviceAccountRoot}${SERVICE_ACCOUNT_DIR}`;
    const missing = ['token', 'ca.crt'].filter((file) => !fs.existsSync(`${dir}/${file}`));
    if (missing.length > 0)
      throw new KubeError(
        'config',
        `in-cluster: no ${missing.join(' or ')} in ${dir}: the pod has no service-account token mounted (automountServiceAccountToken: false?)`,
      );
    return { server: `https://${net.isIPv6(host) ? `[${host}]` : host}:${port}` };
  }

  /**
   * client-node is loaded on the first connection, not at start-up: importing it takes ~140 MB,
   * which a process that never talks to a cluster (an export, most CLI commands) should not carry.
   */
  async connect(target: ClusterTarget): Promise<KubeClient> {
    if (target.kind === 'in-cluster') this.inspectInCluster();
    const reduced =
      target.kind === 'in-cluster' ? undefined : inspectKubeconfig(target.kubeconfig, this.policy).reduced;
    const [k8s, { ClientNodeKubeClient }] = await Promise.all([
      import('@kubernetes/client-node'),
      import('./client-node.kube-client'),
    ]);
    const config = new k8s.KubeConfig();
    if (reduced === undefined) config.loadFromCluster(this.serviceAccountRoot);
    else config.loadFromString(reduced);
    return new ClientNodeKubeClient(config, this.clientOptions);
  }
}
