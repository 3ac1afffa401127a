// A client-go credential plugin (the `user.exec` of a kubeconfig) for the fake kube-apiserver's tests. It
// prints an ExecCredential whose status.token is $FAKE_TOKEN, exactly what a cloud CLI's `get-token` prints.
// Optional: FAKE_EXPIRATION sets status.expirationTimestamp; FAKE_EXEC_COUNT_FILE gets one line per run;
// FAKE_EXEC_FAIL makes the plugin fail the way a real one does (message on stderr, exit code 1).
import { appendFileSync } from 'node:fs';

const env = process.env;
if (env.FAKE_EXEC_COUNT_FILE) appendFileSync(env.FAKE_EXEC_COUNT_FILE, 'run\n');
if (env.FAKE_EXEC_FAIL) {
  process.stderr.write(`${env.FAKE_EXEC_FAIL}\n`);
  process.exit(1);
}
if (!env.FAKE_TOKEN) {
  process.stderr.write('exec-credential: FAKE_TOKEN is not set\n');
  process.exit(1);
}

const status = { token: env.FAKE_TOKEN };
if (env.FAKE_EXPIRATION) status.expirationTimestamp = env.FAKE_EXPIRATION;
process.stdout.write(
  JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }) + '\n',
);
