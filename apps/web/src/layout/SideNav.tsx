import { Menu, Tooltip, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { NAV_ITEMS, navItemForPath, type NavItem } from './navigation';

function NavLabel({ item }: { item: NavItem }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`nav.tips.${item.key}`)} placement="right" mouseEnterDelay={0.4}>
      <span className="nav-label" data-testid={`nav-${item.key}`}>
        <span className="nav-label-text">{t(`nav.${item.key}`)}</span>
      </span>
    </Tooltip>
  );
}

export function SideNav() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const selected = navItemForPath(pathname);

  const items: MenuProps['items'] = NAV_ITEMS.flatMap((item) => {
    const entry = { key: item.key, icon: item.icon, label: <NavLabel item={item} /> };
    return item.key === 'settings' ? [{ type: 'divider' as const }, entry] : [entry];
  });

  return (
    <Menu
      mode="inline"
      inlineIndent={16}
      items={items}
      selectedKeys={selected ? [selected.key] : []}
      onClick={({ key }) => {
        const target = NAV_ITEMS.find((item) => item.key === key);
        if (target) navigate(target.path);
      }}
      className="side-nav"
      data-testid="side-nav"
    />
  );
}
