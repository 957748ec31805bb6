// The frame around every page: react-admin's layout (the app bar shows the administrator's name,
// sign-out in its menu), a menu without the superuser-only pages for plain staff, and the
// one-time secret dialog, which outlives the page change after a create.
import type { ReactNode } from 'react';
import { Layout, Menu, usePermissions } from 'react-admin';
import SettingsIcon from '@mui/icons-material/Settings';
import TimelineIcon from '@mui/icons-material/Timeline';
import WebhookIcon from '@mui/icons-material/Webhook';
import { OneTimeSecretDialog } from './one-time-secret.tsx';

function AppMenu() {
  const { permissions } = usePermissions();
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItems />
      <Menu.Item to="/events" primaryText="Events" leftIcon={<TimelineIcon />} />
      {permissions === 'superuser' && <Menu.Item to="/webhooks" primaryText="Webhooks" leftIcon={<WebhookIcon />} />}
      {permissions === 'superuser' && <Menu.Item to="/config" primaryText="Configuration" leftIcon={<SettingsIcon />} />}
    </Menu>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <Layout menu={AppMenu}>
      {children}
      <OneTimeSecretDialog />
    </Layout>
  );
}
