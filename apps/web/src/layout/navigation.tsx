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
  /** false for the seed's menus whose pages are not built yet. */
  available: boolean;
}

/** The seed's eight menus in its order (§4.1), then the settings page. */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'quotas', path: '/quotas', icon: <ProjectOutlined />, available: true },
  { key: 'namespaceQuotas', path: '/namespace-quotas', icon: <PartitionOutlined />, available: true },
  { key: 'upload', path: '/upload', icon: <CloudUploadOutlined />, available: true },
  { key: 'reports', path: '/reports', icon: <BarChartOutlined />, available: true },
  { key: 'export', path: '/export', icon: <ExportOutlined />, available: true },
  { key: 'scheduler', path: '/scheduler', icon: <FieldTimeOutlined />, available: false },
  { key: 'k8s', path: '/k8s', icon: <ClusterOutlined />, available: true },
  { key: 'prometheus', path: '/prometheus', icon: <DashboardOutlined />, available: true },
  { key: 'settings', path: '/settings', icon: <SettingOutlined />, available: true },
];

export function navItemForPath(pathname: string): NavItem | undefined {
  return NAV_ITEMS.find((item) => pathname === item.path || pathname.startsWith(`${item.path}/`));
}
