// The console: react-admin on the admin API, one <Resource> per API resource. Plain staff get
// neither the signing keys nor the configuration (the API refuses them anyway). Pages are routed in
// the URL's hash (/admin/#/users/42), react-admin's own router: history routing (/admin/users/42)
// needs react-router-dom's BrowserRouter around <Admin>, a dependency the console does not declare.
import { Admin, CustomRoutes, Resource, reactRouterProvider } from 'react-admin';
import GroupsIcon from '@mui/icons-material/Groups';
import PersonIcon from '@mui/icons-material/Person';
import BadgeIcon from '@mui/icons-material/Badge';
import StorageIcon from '@mui/icons-material/Storage';
import RuleIcon from '@mui/icons-material/Rule';
import KeyIcon from '@mui/icons-material/Key';
import AppsIcon from '@mui/icons-material/Apps';
import BlockIcon from '@mui/icons-material/Block';
import WorkHistoryIcon from '@mui/icons-material/WorkHistory';
import VpnKeyIcon from '@mui/icons-material/VpnKey';
import HistoryIcon from '@mui/icons-material/History';
import { authProvider } from './auth-provider.ts';
import { ConfigPage } from './config-page.tsx';
import { Dashboard } from './dashboard.tsx';
import { EventsPage } from './events-page.tsx';
import { WebhooksPage } from './webhooks-page.tsx';
import { dataProvider } from './data-provider.ts';
import { AppLayout } from './layout.tsx';
import { AccessRuleCreate, AccessRuleEdit, AccessRuleList } from './resources/access-rules.tsx';
import { ApiKeyCreate, ApiKeyEdit, ApiKeyList } from './resources/api-keys.tsx';
import { AuditLogList } from './resources/audit-log.tsx';
import { ClientCreate, ClientEdit, ClientList } from './resources/clients.tsx';
import { JobList } from './resources/jobs.tsx';
import { LoginPreventionCreate, LoginPreventionEdit, LoginPreventionList } from './resources/login-preventions.tsx';
import { ResourceCreate, ResourceEdit, ResourceList } from './resources/protected-resources.tsx';
import { RoleCreate, RoleEdit, RoleList } from './resources/roles.tsx';
import { SigningKeyList } from './resources/signing-keys.tsx';
import { TeamCreate, TeamEdit, TeamList } from './resources/teams.tsx';
import { UserCreate, UserEdit, UserList } from './resources/users.tsx';

// react-admin's own router (react-router) supplies the <Route> of the custom pages.
const { Route } = reactRouterProvider;

export function App() {
  return (
    <Admin
      title="DJAM admin" dataProvider={dataProvider} authProvider={authProvider} dashboard={Dashboard}
      layout={AppLayout} loginPage={false} requireAuth disableTelemetry
    >
      {(permissions) => (
        <>
          <Resource name="users" list={UserList} create={UserCreate} edit={UserEdit} icon={PersonIcon} recordRepresentation="email" />
          <Resource name="teams" list={TeamList} create={TeamCreate} edit={TeamEdit} icon={GroupsIcon} recordRepresentation="name" />
          <Resource name="roles" list={RoleList} create={RoleCreate} edit={RoleEdit} icon={BadgeIcon} recordRepresentation="name" />
          <Resource name="resources" list={ResourceList} create={ResourceCreate} edit={ResourceEdit} icon={StorageIcon} recordRepresentation="slug" />
          <Resource name="access-rules" options={{ label: 'Access rules' }} list={AccessRuleList} create={AccessRuleCreate} edit={AccessRuleEdit} icon={RuleIcon} />
          <Resource name="api-keys" options={{ label: 'API keys' }} list={ApiKeyList} create={ApiKeyCreate} edit={ApiKeyEdit} icon={KeyIcon} recordRepresentation="key_preview" />
          <Resource name="clients" list={ClientList} create={ClientCreate} edit={ClientEdit} icon={AppsIcon} recordRepresentation="name" />
          <Resource name="login-preventions" options={{ label: 'Login preventions' }} list={LoginPreventionList} create={LoginPreventionCreate} edit={LoginPreventionEdit} icon={BlockIcon} />
          <Resource name="jobs" list={JobList} icon={WorkHistoryIcon} />
          {permissions === 'superuser' && <Resource name="signing-keys" options={{ label: 'Signing keys' }} list={SigningKeyList} icon={VpnKeyIcon} />}
          <Resource name="audit-log" options={{ label: 'Audit log' }} list={AuditLogList} icon={HistoryIcon} />
          <CustomRoutes>
            <Route path="/events" element={<EventsPage />} />
          </CustomRoutes>
          {permissions === 'superuser' && (
            <CustomRoutes>
              <Route path="/config" element={<ConfigPage />} />
              <Route path="/webhooks" element={<WebhooksPage />} />
            </CustomRoutes>
          )}
        </>
      )}
    </Admin>
  );
}
