import { ClockCircleOutlined, RocketOutlined } from '@ant-design/icons';
import { Button, Card, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';

export type PlannedFeature = 'scheduler';

/** Where to go today for what the planned page will do. */
const MEANWHILE_PATH: Record<PlannedFeature, string> = {
  scheduler: '/upload',
};

export default function ComingSoonPage({ feature }: { feature: PlannedFeature }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const features = t(`placeholder.${feature}.features`).split('|');
  return (
    <div className="page" data-testid={`coming-soon-${feature}`}>
      <PageHeader title={t(`nav.${feature}`)} description={t(`nav.tips.${feature}`)} />
      <Card>
        <Result
          icon={<RocketOutlined />}
          title={t('placeholder.comingSoon')}
          subTitle={t(`placeholder.${feature}.description`)}
          extra={
            <Button type="primary" onClick={() => navigate(MEANWHILE_PATH[feature])}>
              {t(`placeholder.${feature}.action`)}
            </Button>
          }
        >
          <div className="planned">
            <Typography.Text strong>{t('placeholder.planned')}</Typography.Text>
            <ul className="planned-list">
              {features.map((item) => (
                <li key={item}>
                  <ClockCircleOutlined /> {item}
                </li>
              ))}
            </ul>
            <Typography.Text type="secondary">
              {t('placeholder.meanwhile')} {t(`placeholder.${feature}.meanwhile`)}
            </Typography.Text>
          </div>
        </Result>
      </Card>
    </div>
  );
}
