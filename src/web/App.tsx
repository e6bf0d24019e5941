import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useMe } from './api/hooks';
import { AppLayout } from './components/AppLayout';
import { CustomerPage } from './pages/CustomerPage';
import { CustomersPage } from './pages/CustomersPage';
import { DashboardPage } from './pages/DashboardPage';
import { AlertsPage } from './pages/AlertsPage';
import { HeldOrdersPage } from './pages/HeldOrdersPage';
import { ImportPage } from './pages/ImportPage';
import { InvoicesPage } from './pages/InvoicesPage';
import { LoginPage } from './pages/LoginPage';
import { MatchingPage } from './pages/MatchingPage';
import { LimitRequestsPage } from './pages/LimitRequestsPage';
import { SettingsPage } from './pages/SettingsPage';
import { UsersPage } from './pages/UsersPage';
import { AccountPage } from './pages/AccountPage';

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/*" element={<Authenticated />} />
    </Routes>
  );
}

/** Everything but the login page needs a session; without one, go to /login. */
function Authenticated() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (me.isError || !me.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <AppLayout me={me.data}>
      <Routes>
        <Route path="/" element={<DashboardPage />} />
        <Route path="/customers" element={<CustomersPage />} />
        <Route path="/customers/:id" element={<CustomerPage />} />
        <Route path="/invoices" element={<InvoicesPage />} />
        <Route path="/imports" element={<ImportPage />} />
        <Route path="/matching" element={<MatchingPage />} />
        <Route path="/held-orders" element={<HeldOrdersPage />} />
        <Route path="/alerts" element={<AlertsPage />} />
        <Route path="/limit-requests" element={<LimitRequestsPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </AppLayout>
  );
}
