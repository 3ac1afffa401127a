import { Suspense } from 'react';
import { Layout, Spin } from 'antd';
import { Outlet } from 'react-router-dom';
import { AppHeader } from './AppHeader';
import { SideNav } from './SideNav';

export function AppLayout() {
  return (
    <Layout className="app-shell">
      <AppHeader />
      <Layout className="app-body">
        <Layout.Sider width={240} theme="light" className="app-sider">
          <SideNav />
        </Layout.Sider>
        <Layout.Content className="app-content" data-testid="app-content">
          <Suspense fallback={<Spin className="page-loading" />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
