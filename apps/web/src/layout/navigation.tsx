import type { ReactNode } from 'react';
import {
  BarChartOutlined,
  ClusterOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  ExportOutlined,
  FieldTimeOutlined,
  PartitionOutlined,
  ProjectOutlined,
  SettingOutlined,
} from '@ant-design/icons';

export type NavKey =
  | 'quotas'
  | 'namespaceQuotas'
  | 'upload'
  | 'reports'
  | 'export'
  | 'scheduler'
  | 'k8s'
  | 'prometheus'
  | 'settings';

export interface NavItem {
  key: NavKey;
  path: string;
  icon: ReactNode;
}

/** The seed's eight menus in its order (§4.1), then the settings page. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'quotas', path: '/quotas', icon: <ProjectOutlined /> },
  { key: 'namespaceQuotas', path: '/namespace-quotas', icon: <PartitionOutlined /> },
  { key: 'upload', path: '/upload', icon: <CloudUploadOutlined /> },
  { key: 'reports', path: '/reports', icon: <BarChartOutlined /> },
  { key: 'export', path: '/export', icon: <ExportOutlined /> },
  { key: 'scheduler', path: '/scheduler', icon: <FieldTimeOutlined /> },
  { key: 'k8s', path: '/k8s', icon: <ClusterOutlined /> },
  { key: 'prometheus', path: '/prometheus', icon: <DashboardOutlined /> },
  { key: 'settings', path: '/settings', icon: <SettingOutlined /> },
];

export function navItemForPath(pathname: string): NavItem | undefined {
  return NAV_ITEMS.find((item) => pathname === item.path || pathname.startsWith(`${item.path}/`));
}
