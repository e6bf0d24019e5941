import { AppShell, Burger, Button, Group, NavLink, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, useLocation, useNavigate } from 'react-router';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { type Locale, setLocale } from '../i18n';

const NAV = [
  { to: '/', key: 'dashboard', testId: 'nav-dashboard' },
  { to: '/customers', key: 'customers', testId: 'nav-customers' },
  { to: '/invoices', key: 'invoices', testId: 'nav-invoices' },
  { to: '/matching', key: 'matching', testId: 'nav-matching' },
  { to: '/alerts', key: 'alerts', testId: 'nav-alerts' },
  { to: '/held-orders', key: 'held', testId: 'nav-held' },
  { to: '/limit-requests', key: 'limits', testId: 'nav-limits' },
  { to: '/imports', key: 'imports', testId: 'nav-imports' },
  { to: '/settings', key: 'settings', testId: 'nav-settings' },
  { to: '/users', key: 'users', testId: 'nav-users', isAdminOnly: true },
] as const;

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      data-testid="language-switch"
      value={i18n.language}
      onChange={(value) => setLocale(value as Locale)}
      data={[
        { value: 'fr', label: <span data-testid="language-fr">FR</span> },
        { value: 'en', label: <span data-testid="language-en">EN</span> },
      ]}
    />
  );
}

export function AppLayout({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const logout = async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    queryClient.clear();
    navigate('/login');
  };

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <Title order={3} c="indigo.7">
              {t('app.name')}
            </Title>
            <Text c="dimmed" size="sm" visibleFrom="sm">
              {me.organisation.name}
            </Text>
          </Group>
          <Group>
            <LanguageSwitch />
            <Button component={RouterLink} to="/account" variant="subtle" size="xs" color="dark" visibleFrom="sm" title={t('nav.account')} data-testid="nav-account">
              {me.name}
            </Button>
            <Button variant="subtle" size="xs" onClick={logout} data-testid="logout">
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Stack gap={4}>
          {NAV.filter((item) => !('isAdminOnly' in item) || me.role === 'admin').map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              label={t(`nav.${item.key}`)}
              data-testid={item.testId}
              active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">{children}</AppShell.Main>
    </AppShell>
  );
}
