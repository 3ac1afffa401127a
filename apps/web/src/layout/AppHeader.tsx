import { ApiOutlined } from '@ant-design/icons';
import { Flex, Layout } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { LanguageSwitch } from './LanguageSwitch';
import { ServerStatus } from './ServerStatus';

function ProductMark() {
  return (
    <svg className="product-mark" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1456f0" />
      <path d="M8 23V13m5.5 10V9m5.5 14v-7m5.5 7V11" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

export function AppHeader() {
  const { t } = useTranslation();
  return (
    <Layout.Header className="app-header">
      <Link to="/reports" className="product" data-testid="product-name">
        <ProductMark />
        <span className="product-name">{t('app.name')}</span>
        <span className="product-tagline">{t('app.tagline')}</span>
      </Link>
      <Flex align="center" gap={20}>
        <ServerStatus />
        <a href="/docs" target="_blank" rel="noreferrer" className="header-link" data-testid="api-docs-link">
          <ApiOutlined /> {t('app.docs')}
        </a>
        <LanguageSwitch />
      </Flex>
    </Layout.Header>
  );
}
