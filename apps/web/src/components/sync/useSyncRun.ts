import { useRef, useState } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClusterSync, type SyncKind } from '../../api/clusters';
import { syncSummary } from './sync-summary';

/**
 * A sync the user starts and watches in a dialog. The dialog may be closed while the sync runs
 * (it takes seconds per cluster); its outcome then arrives as a toast instead.
 */
export function useSyncRun(kind: SyncKind) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sync = useClusterSync(kind);
  const [open, setOpen] = useState(false);
  const openRef = useRef(false);

  const setShown = (shown: boolean) => {
    openRef.current = shown;
    setOpen(shown);
  };

  /** Syncs the clusters with `ids` (all when undefined) and shows the dialog. */
  const start = (ids?: number[]) => {
    setShown(true);
    sync.mutate(ids, {
      onSuccess: (result) => {
        if (openRef.current) return;
        const summary = syncSummary(t, result);
        message.open({ type: summary.type, content: summary.text });
      },
      onError: (error) => {
        if (!openRef.current) message.error(error.message);
      },
    });
  };

  return { sync, open, start, show: () => setShown(true), close: () => setShown(false) };
}
