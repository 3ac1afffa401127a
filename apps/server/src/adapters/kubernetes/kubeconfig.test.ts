import { describe, expect, it } from 'vitest';
import { KubeconfigError } from '../../ports';
import { inspectKubeconfig } from './kubeconfig';

/** A one-context kubeconfig whose cluster is `server` and whose user entry is `user` (as YAML lines). */
const kubeconfig = (server: string, user: string[]) =>
  [
    'apiVersion: v1',
    'kind: Config',
    'current-context: ctx',
    'contexts:',
    '- name: ctx',
    '  context: {cluster: c, user: u}',
    'clusters:',
    '- name: c',
    '  cluster:',
    `    server: ${server}`,
    'users:',
    '- name: u',
    '  user:',
    ...user.map((line) => `    ${line}`),
  ].join('\n');

const problemsOf = (text: string, allowExec = false): string[] => {
  try {
    inspectKubeconfig(text, { allowExec });
  } catch (error) {
    if (error instanceof KubeconfigError) return error.problems;
    throw error;
  }
  return [];
};

const REFUSED = 'refused unless the operator sets KRA_ALLOW_KUBECONFIG_EXEC=true';

describe('inspectKubeconfig', () => {
  it('accepts an https server with a token', () => {
    const { summary } = inspectKubeconfig(kubeconfig('https://10.0.0.1:6443', ['token: abc']), {
      allowExec: false,
    });
    expect(summary).toMatchObject({ server: 'https://10.0.0.1:6443', authKind: 'token', insecure: false });
  });

  it('refuses an http:// server, whose token would travel in clear, naming the cluster', () => {
    expect(problemsOf(kubeconfig('http://10.0.0.1:8080', ['token: abc']))).toEqual([
      'cluster "c": server "http://10.0.0.1:8080" must be an https:// URL: over http:// the credentials would travel in clear',
    ]);
    expect(problemsOf(kubeconfig('ftp://10.0.0.1', ['token: abc']))).toEqual([
      'cluster "c": server "ftp://10.0.0.1" must be an https:// URL',
    ]);
  });

  it('refuses an exec entry of any shape unless allowed', () => {
    expect(problemsOf(kubeconfig('https://k', ['exec: {command: /bin/get-token}']))).toEqual([
      `user "u" runs the command "/bin/get-token" (exec plugin); ${REFUSED}`,
    ]);
    for (const value of ['"x"', 'null', '[a, b]', '{args: [x]}', '{command: 3}'])
      expect(problemsOf(kubeconfig('https://k', [`exec: ${value}`]))).toEqual([
        `user "u" has an exec plugin; ${REFUSED}`,
      ]);
    expect(problemsOf(kubeconfig('https://k', ['auth-provider: "x"']))).toEqual([
      `user "u" uses an auth-provider, which can run commands; ${REFUSED}`,
    ]);
  });

  it('when allowed, still wants an exec entry that names its command', () => {
    expect(problemsOf(kubeconfig('https://k', ['exec: {command: /bin/get-token}']), true)).toEqual([]);
    expect(problemsOf(kubeconfig('https://k', ['exec: "x"']), true)).toEqual([
      'user "u": exec must be a mapping whose command names the plugin to run',
    ]);
  });
});
