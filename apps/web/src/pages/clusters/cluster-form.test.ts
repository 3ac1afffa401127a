import type { K8sConfig } from '@kra/contracts';
import { describe, expect, it } from 'vitest';
import {
  createPayload,
  initialClusterValues,
  isLabelKey,
  kubeconfigFormat,
  labelChoice,
  updatePatch,
} from './cluster-form';

const cluster: K8sConfig = {
  id: 3,
  name: 'prod',
  kind: 'kubeconfig',
  server: 'https://10.0.0.1:6443',
  context: 'prod',
  auth_kind: 'token',
  insecure_skip_tls_verify: false,
  use_projectquota: true,
  quota_source: 'projectquota',
  project_label: 'cpaas.io/project',
  last_test: null,
  last_sync_at: null,
  last_sync_ok: null,
  last_sync_message: null,
  created_at: '2026-11-25T08:00:00.000Z',
  updated_at: '2026-11-25T08:00:00.000Z',
};

describe('labelChoice', () => {
  it('names the preset of a label, null being "namespace = project"', () => {
    expect(labelChoice('cpaas.io/project')).toBe('alauda');
    expect(labelChoice('field.cattle.io/projectId')).toBe('rancher');
    expect(labelChoice('capsule.clastix.io/tenant')).toBe('capsule');
    expect(labelChoice(null)).toBe('namespace');
    expect(labelChoice('example.com/team')).toBe('custom');
    expect(labelChoice('')).toBe('custom');
  });
});

describe('isLabelKey', () => {
  it('takes label keys with or without a prefix, and nothing else', () => {
    expect(isLabelKey('example.com/team')).toBe(true);
    expect(isLabelKey('team')).toBe(true);
    expect(isLabelKey('not a label!')).toBe(false);
    expect(isLabelKey('')).toBe(false);
  });
});

describe('kubeconfigFormat', () => {
  it('tells base64 from YAML', () => {
    const yaml = 'apiVersion: v1\nkind: Config\n';
    expect(kubeconfigFormat(yaml)).toBe('yaml');
    expect(kubeconfigFormat(btoa(yaml))).toBe('base64');
    expect(kubeconfigFormat(`${btoa(yaml).slice(0, 8)}\n${btoa(yaml).slice(8)}\n`)).toBe('base64');
    expect(kubeconfigFormat('  \n')).toBeNull();
  });
});

describe('payloads', () => {
  it('leaves the kubeconfig out for an in-cluster connection', () => {
    const values = {
      ...initialClusterValues(),
      name: ' local ',
      kind: 'in-cluster' as const,
      kubeconfig: 'x',
    };
    expect(createPayload(values)).toEqual({
      name: 'local',
      kind: 'in-cluster',
      kubeconfig: undefined,
      use_projectquota: true,
      project_label: 'cpaas.io/project',
    });
  });

  it('sends only what changed when editing; an empty kubeconfig keeps the stored one', () => {
    expect(updatePatch(cluster, initialClusterValues(cluster))).toEqual({});
    expect(
      updatePatch(cluster, {
        ...initialClusterValues(cluster),
        name: 'production',
        project_label: null,
        kubeconfig: 'apiVersion: v1',
      }),
    ).toEqual({ name: 'production', project_label: null, kubeconfig: 'apiVersion: v1' });
  });
});
