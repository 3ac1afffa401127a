import * as k8s from '@kubernetes/client-node';
import type { ClusterTarget, KubeAccess, KubeClient, KubeconfigSummary } from '../../ports';
import { ClientNodeKubeClient } from './client-node.kube-client';
import type { KubeClientOptions } from './client-node.kube-client';
import { inspectKubeconfig } from './kubeconfig';
import type { KubeconfigPolicy } from './kubeconfig';

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

  connect(target: ClusterTarget): KubeClient {
    const config = new k8s.KubeConfig();
    if (target.kind === 'in-cluster') config.loadFromCluster(this.serviceAccountRoot);
    else config.loadFromString(inspectKubeconfig(target.kubeconfig, this.policy).reduced);
    return new ClientNodeKubeClient(config, this.clientOptions);
  }
}
