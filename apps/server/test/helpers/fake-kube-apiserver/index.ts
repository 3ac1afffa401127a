// A fake kube-apiserver for tests that drive the real @kubernetes/client-node over HTTPS on loopback.
// See server.ts for the request pipeline and types.ts for what tests can put in and read back.
export { FakeKubeApiServer } from './server';
export { createCertificateAuthority } from './certificates';
export type { CertificateAuthority } from './certificates';
export { EXEC_CREDENTIAL_SCRIPT } from './kubeconfig';
export type { KubeconfigAuth, KubeconfigOptions } from './kubeconfig';
export { CONTINUE_EXPIRED_MESSAGE } from './status';
export { encodeContinue } from './paging';
export type * from './types';
export { WORKLOAD_RESOURCES } from './types';
