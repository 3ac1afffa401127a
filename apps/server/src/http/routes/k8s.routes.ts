import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ConfigIdQuery,
  ConnectionTest,
  ErrorBody,
  K8sConfig,
  K8sConfigCreate,
  K8sConfigImportResult,
  K8sConfigList,
  K8sConfigUpdate,
  NamespaceQuotaImportResult,
  NamespaceQuotaList,
  NamespaceQuotaQuery,
  SyncResult,
} from '@kra/contracts';
import type { ClusterService } from '../../services/cluster.service';
import type { NamespaceQuotaService } from '../../services/namespace-quota.service';
import type { QuotaSyncService } from '../../services/quota-sync.service';
import { attachment } from '../content-disposition';
import { readSingleFile } from '../uploads';

const IdParam = z.object({ id: z.coerce.number().int().positive() });
const NamespaceParam = z.object({ cluster: z.string().min(1), namespace: z.string().min(1) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const isTrue = (value: string | undefined) => value === 'true' || value === '1';

export function k8sRoutes(
  clusters: ClusterService,
  sync: QuotaSyncService,
  namespaceQuotas: NamespaceQuotaService,
  maxUploadBytes: number,
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['k8s'];
    app.get(
      '/api/k8s/configs',
      {
        schema: {
          tags,
          summary: '获取K8s配置列表 — clusters (no credentials)',
          response: { 200: K8sConfigList },
        },
      },
      () => clusters.list(),
    );

    app.post(
      '/api/k8s/configs',
      {
        schema: {
          tags,
          summary: '添加K8s配置 — add a cluster',
          description:
            'The kubeconfig (raw YAML or base64) is checked (current context, server URL) and stored encrypted; it is never returned. Exec plugins, auth-providers and file paths are refused unless the server runs with KRA_ALLOW_KUBECONFIG_EXEC=true.',
          body: K8sConfigCreate,
          response: { 201: K8sConfig, 400: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => reply.code(201).send(await clusters.create(req.body)),
    );

    app.put(
      '/api/k8s/configs/:id',
      {
        schema: {
          tags,
          summary: '修改K8s配置 — edit a cluster (omit kubeconfig to keep it)',
          params: IdParam,
          body: K8sConfigUpdate,
          response: { 200: K8sConfig, 404: ErrorBody },
        },
      },
      (req) => clusters.update(req.params.id, req.body),
    );

    app.delete(
      '/api/k8s/configs/:id',
      {
        schema: {
          tags,
          summary: '删除K8s配置 — delete a cluster and its synced namespace quotas',
          params: IdParam,
          response: { 204: z.null(), 404: ErrorBody },
        },
      },
      async (req, reply) => {
        await clusters.remove(req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/k8s/configs/:id/test',
      {
        schema: {
          tags,
          summary: '测试连接 — version, identity and permissions',
          params: IdParam,
          response: { 200: ConnectionTest, 404: ErrorBody },
        },
      },
      (req) => clusters.test(req.params.id),
    );

    app.post(
      '/api/k8s/configs/import',
      {
        schema: {
          tags,
          summary: '批量导入K8s配置 — import the cluster template',
          description:
            'multipart/form-data: `file` (xlsx: 集群名称 | Kubeconfig (Base64编码或原始内容) | 使用ProjectQuota), optional `partial=true`. Creates or updates by name.',
          consumes: ['multipart/form-data'],
          response: { 200: K8sConfigImportResult, 422: ErrorBody },
        },
      },
      async (req) => {
        const { fileName, data, fields } = await readSingleFile(req, 'file', maxUploadBytes);
        return clusters.importWorkbook(data, fileName, { partial: isTrue(fields.partial) });
      },
    );

    app.post(
      '/api/k8s/sync',
      {
        schema: {
          tags,
          summary: '同步命名空间配额 — sync namespace quotas (all clusters, or config_id)',
          querystring: ConfigIdQuery,
          response: { 200: SyncResult, 404: ErrorBody },
        },
      },
      (req) => sync.syncNamespaces(req.query.config_id),
    );

    app.post(
      '/api/k8s/sync-project-quota',
      {
        schema: {
          tags,
          summary: '同步项目配额 — sync project quotas (all clusters, or config_id)',
          description:
            "ProjectQuota CRD where it exists, otherwise the sum of the project's namespace ResourceQuotas; manual quotas are skipped.",
          querystring: ConfigIdQuery,
          response: { 200: SyncResult, 404: ErrorBody },
        },
      },
      (req) => sync.syncProjectQuotas(req.query.config_id),
    );

    app.get(
      '/api/k8s/quotas',
      {
        schema: {
          tags,
          summary: '获取命名空间配额列表 — namespace quotas (memory and storage in GiB)',
          querystring: NamespaceQuotaQuery,
          response: { 200: NamespaceQuotaList },
        },
      },
      (req) => namespaceQuotas.list(req.query),
    );

    app.get(
      '/api/k8s/quotas/export',
      {
        schema: {
          tags,
          summary: 'namespace quotas as xlsx (the template layout)',
          querystring: NamespaceQuotaQuery,
        },
      },
      async (req, reply) =>
        reply
          .type(XLSX)
          .header('content-disposition', attachment('namespace-quotas.xlsx'))
          .send(await namespaceQuotas.exportWorkbook(req.query)),
    );

    app.delete(
      '/api/k8s/quotas/:cluster/:namespace',
      {
        schema: {
          tags,
          summary: '删除命名空间配额 — delete a namespace quota',
          params: NamespaceParam,
          response: { 204: z.null(), 404: ErrorBody },
        },
      },
      async (req, reply) => {
        await namespaceQuotas.remove(req.params.cluster, req.params.namespace);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/k8s/quotas/import',
      {
        schema: {
          tags,
          summary: '批量导入命名空间配额 — import the namespace-quota template',
          consumes: ['multipart/form-data'],
          response: { 200: NamespaceQuotaImportResult, 422: ErrorBody },
        },
      },
      async (req) => {
        const { fileName, data, fields } = await readSingleFile(req, 'file', maxUploadBytes);
        return namespaceQuotas.importWorkbook(data, fileName, { partial: isTrue(fields.partial) });
      },
    );

    app.get(
      '/api/templates/namespace-quota',
      { schema: { tags: ['templates'], summary: '下载命名空间配额模板 — namespace-quota template' } },
      async (_req, reply) =>
        reply
          .type(XLSX)
          .header('content-disposition', attachment('namespace_quota_template.xlsx'))
          .send(await namespaceQuotas.template()),
    );

    app.get(
      '/api/templates/k8s-config',
      { schema: { tags: ['templates'], summary: '下载K8s配置模板 — cluster template' } },
      async (_req, reply) =>
        reply
          .type(XLSX)
          .header('content-disposition', attachment('k8s_config_template.xlsx'))
          .send(await clusters.template()),
    );
  };
}
