import type { KubeconfigOptions } from '../../../server/test/helpers/fake-kube-apiserver/kubeconfig';
import type {
  DelayFault,
  FakeKubeApiServerOptions,
} from '../../../server/test/helpers/fake-kube-apiserver/types';

/**
 * The server's fake kube-apiserver (apps/server/test/helpers/fake-kube-apiserver), loaded at run
 * time. A static import would put its certificates.ts into this program, and under the DOM lib the
 * console needs, @peculiar/x509's `Crypto` and `BufferSource` resolve and two of its casts no longer
 * type-check (they do under the server's lib). Its types and kubeconfig options are imported as
 * types; the instance is typed by what these walks use.
 */
export interface FakeKube {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  addToken(token: string, user: string, groups?: string[]): void;
  kubeconfig(options: KubeconfigOptions): string;
  /** Holds matching requests for `ms` before answering (`times` of them; all when omitted). */
  delay(spec: DelayFault): void;
  stop(): Promise<void>;
}

interface FakeKubeModule {
  FakeKubeApiServer: { start(options?: FakeKubeApiServerOptions): Promise<FakeKube> };
}

const MODULE = '../../../server/test/helpers/fake-kube-apiserver/index.ts';

export async function startFakeKube(options: FakeKubeApiServerOptions): Promise<FakeKube> {
  const { FakeKubeApiServer } = (await import(/* @vite-ignore */ MODULE)) as FakeKubeModule;
  return FakeKubeApiServer.start(options);
}
