import { useState } from 'react';
import type { K8sConfig } from '@kra/contracts';
import { Button, Checkbox, Empty, Flex, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useClusters } from '../../api/clusters';
import { SyncOutcome } from '../../components/sync/SyncOutcome';
import type { useSyncRun } from '../../components/sync/useSyncRun';

interface ClusterPickerProps {
  clusters: K8sConfig[];
  chosen: number[];
  onChange: (ids: number[]) => void;
}

function ClusterPicker({ clusters, chosen, onChange }: ClusterPickerProps) {
  const { t } = useTranslation();
  const all = chosen.length === clusters.length;
  return (
    <div className="cluster-picker">
      <Flex justify="space-between" align="center" className="cluster-picker-head">
        <Checkbox
          checked={all}
          indeterminate={chosen.length > 0 && !all}
          onChange={(event) => onChange(event.target.checked ? clusters.map((c) => c.id) : [])}
          data-testid="sync-pick-all"
        >
          {t('quotas.sync.selectAll')}
        </Checkbox>
        <Typography.Text type="secondary">
          {t('quotas.sync.chosen', { count: chosen.length, total: clusters.length })}
        </Typography.Text>
      </Flex>
      <Checkbox.Group value={chosen} onChange={(ids) => onChange(ids)} className="cluster-picker-list">
        {clusters.map((cluster) => (
          <Checkbox key={cluster.id} value={cluster.id} data-testid="sync-pick" data-cluster={cluster.name}>
            <span className="choice-title">{cluster.name}</span>
            <Typography.Text type="secondary" className="small">
              {t(`clusters.quotaSource.${cluster.quota_source}`)} ·{' '}
              <span className="mono">{cluster.server}</span>
            </Typography.Text>
          </Checkbox>
        ))}
      </Checkbox.Group>
    </div>
  );
}

interface ProjectQuotaSyncModalProps {
  run: ReturnType<typeof useSyncRun>;
}

/**
 * §4.2.1: choose connected clusters (all by default), then sync their project quotas and show the
 * outcome. The opener resets a finished sync, so the dialog starts at the choice again.
 */
export function ProjectQuotaSyncModal({ run }: ProjectQuotaSyncModalProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const clusters = useClusters();
  const items = clusters.data?.items ?? [];
  const [chosen, setChosen] = useState<number[] | null>(null);
  // Until the user changes the choice, every cluster is chosen, including ones added meanwhile.
  const picked = chosen ?? items.map((c) => c.id);
  const started = !run.sync.isIdle;

  const close = () => {
    run.close();
    setChosen(null);
  };

  const footer = started
    ? [
        <Button key="close" type="primary" onClick={close} data-testid="sync-close">
          {t('common.close')}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="start"
          type="primary"
          disabled={picked.length === 0}
          onClick={() => run.start(picked.length === items.length ? undefined : picked)}
          data-testid="sync-start"
        >
          {t('quotas.sync.start')}
        </Button>,
      ];

  return (
    <Modal
      open={run.open}
      title={t('quotas.sync.title')}
      onCancel={close}
      footer={footer}
      width={started ? 960 : 640}
      data-testid="sync-dialog"
    >
      {started ? (
        <SyncOutcome kind="projects" sync={run.sync} clusterCount={picked.length} />
      ) : items.length === 0 ? (
        <Empty description={t('quotas.sync.noClusters')}>
          <Button type="primary" onClick={() => navigate('/k8s')} data-testid="sync-go-k8s">
            {t('quotas.sync.goK8s')}
          </Button>
        </Empty>
      ) : (
        <div className="sync-setup">
          <Typography.Paragraph type="secondary">{t('quotas.sync.help')}</Typography.Paragraph>
          <ClusterPicker clusters={items} chosen={picked} onChange={setChosen} />
        </div>
      )}
    </Modal>
  );
}
