import { lazy } from 'react';
import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import { isApiError } from './api/errors';
import { useLanguage } from './i18n';
import { AppLayout } from './layout/AppLayout';

const QuotasPage = lazy(() => import('./pages/quotas/QuotasPage'));
const UploadPage = lazy(() => import('./pages/upload/UploadPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const NamespaceQuotasPage = lazy(() => import('./pages/namespace-quotas/NamespaceQuotasPage'));
const ClustersPage = lazy(() => import('./pages/clusters/ClustersPage'));
const PrometheusPage = lazy(() => import('./pages/prometheus/PrometheusPage'));
const ExportPage = lazy(() => import('./pages/export/ExportPage'));
const SchedulerPage = lazy(() => import('./pages/scheduler/SchedulerPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const NotFoundPage = lazy(() => import('./pages/placeholder/NotFoundPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      staleTime: 10_000,
      // A 4xx will not change by asking again; a dropped connection might.
      retry: (failures, error) =>
        failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

const router = createBrowserRouter([
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/reports" replace /> },
      { path: 'quotas', element: <QuotasPage /> },
      { path: 'namespace-quotas', element: <NamespaceQuotasPage /> },
      { path: 'upload', element: <UploadPage /> },
      { path: 'reports', element: <ReportsPage /> },
      { path: 'export', element: <ExportPage /> },
      { path: 'scheduler', element: <SchedulerPage /> },
      { path: 'k8s', element: <ClustersPage /> },
      { path: 'prometheus', element: <PrometheusPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1456f0',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: {
      headerBg: '#0f1c2e',
      headerHeight: 56,
      headerPadding: '0 24px',
      siderBg: '#ffffff',
      bodyBg: '#f3f5f8',
    },
    Menu: {
      itemBorderRadius: 6,
      itemMarginInline: 6,
      itemPaddingInline: 10,
      iconMarginInlineEnd: 8,
      activeBarBorderWidth: 0,
    },
    Table: { headerBg: '#f7f8fa' },
    Card: { bodyPadding: 16, headerPadding: 16, headerHeight: 52 },
  },
};

export function App() {
  const language = useLanguage();
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
