import type { ReportDate } from '@kra/contracts';
import { DeleteOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDeleteReport } from '../../api/reports';
import { ConfirmText } from '../../components/ConfirmText';

interface DeleteDayButtonProps {
  day: ReportDate;
  onDeleted: () => void;
}

/** Deletes the uploaded daily-report data of one date (Prometheus data stays). */
export function DeleteDayButton({ day, onDeleted }: DeleteDayButtonProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const deleteReport = useDeleteReport();

  const confirm = async () => {
    try {
      const result = await deleteReport.mutateAsync({ date: day.date });
      message.success(
        t('reports.deleted', { files: result.deleted_files.length, rows: result.deleted_rows }),
      );
      onDeleted();
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <Popconfirm
      title={t('reports.deleteDayConfirm', { date: day.date })}
      description={
        <div className="popconfirm-text">{t('reports.deleteDayDesc', { count: day.files.length })}</div>
      }
      okText={<ConfirmText>{t('common.delete')}</ConfirmText>}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true }}
      onConfirm={confirm}
      placement="bottomRight"
    >
      <Button
        danger
        icon={<DeleteOutlined />}
        disabled={day.files.length === 0}
        loading={deleteReport.isPending}
        data-testid="report-delete-day"
      >
        {t('reports.deleteDay')}
      </Button>
    </Popconfirm>
  );
}
