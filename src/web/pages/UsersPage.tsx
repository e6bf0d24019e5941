import { Alert, Badge, Button, Group, Modal, Paper, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useMe } from '../api/hooks';
import { problemText } from '../api/problem-text';
import { QueryState } from '../components/widgets';

type Role = 'admin' | 'credit_manager' | 'collector' | 'sales' | 'viewer';
type User = { id: string; email: string; name: string; role: Role; locale: 'fr' | 'en' | null; isDisabled: boolean; createdAt: string };
const ROLES: Role[] = ['admin', 'credit_manager', 'collector', 'sales', 'viewer'];

/** Administrators add users, disable or re-enable them, set a new password and close their sessions. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe().data;
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/api/v1/users') });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // A message is written in the language of the moment: drop it when the language changes.
  useEffect(() => setMessage(null), [i18n.language]);
  const [resetting, setResetting] = useState<User | null>(null);

  const act = async <T,>(run: () => Promise<T>, done: (result: T) => string) => {
    setMessage(null);
    try {
      setMessage({ ok: true, text: done(await run()) });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      setMessage({ ok: false, text: problemText(t, e) });
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('users.title')}</Title>
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} withCloseButton onClose={() => setMessage(null)} data-testid="users-message">
          {message.text}
        </Alert>
      )}
      <Paper withBorder p="md" radius="md">
        <QueryState query={users}>
          {() => (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" data-testid="users-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('users.name')}</Table.Th>
                    <Table.Th>{t('users.email')}</Table.Th>
                    <Table.Th>{t('users.role')}</Table.Th>
                    <Table.Th>{t('users.status')}</Table.Th>
                    <Table.Th>{t('users.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data!.items.map((user) => {
                    const isMe = user.id === me?.id;
                    return (
                      <Table.Tr key={user.id} data-testid={`user-row-${user.email}`}>
                        <Table.Td>
                          {user.name} {isMe && <Text span c="dimmed" size="sm">({t('users.you')})</Text>}
                        </Table.Td>
                        <Table.Td>{user.email}</Table.Td>
                        <Table.Td>{t(`roles.${user.role}`)}</Table.Td>
                        <Table.Td>
                          <Badge color={user.isDisabled ? 'gray' : 'teal'} variant="light">{user.isDisabled ? t('users.disabled') : t('users.active')}</Badge>
                        </Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            {user.isDisabled ? (
                              <Button size="xs" variant="light" onClick={() => act(() => api(`/api/v1/users/${user.id}/enable`, { method: 'POST' }), () => t('users.enabledDone', { name: user.name }))} data-testid="user-enable">
                                {t('users.enable')}
                              </Button>
                            ) : (
                              <Button size="xs" variant="light" color="red" disabled={isMe} onClick={() => act(() => api(`/api/v1/users/${user.id}/disable`, { method: 'POST' }), () => t('users.disabledDone', { name: user.name }))} data-testid="user-disable">
                                {t('users.disable')}
                              </Button>
                            )}
                            <Button size="xs" variant="default" onClick={() => setResetting(user)} data-testid="user-reset">
                              {t('users.resetPassword')}
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              onClick={() => act(
                                () => api<{ revoked: number }>(`/api/v1/users/${user.id}/sessions`, { method: 'DELETE' }),
                                ({ revoked }) => t('users.revoked', { count: revoked, name: user.name }),
                              )}
                              data-testid="user-revoke"
                            >
                              {t('users.revokeSessions')}
                            </Button>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
      </Paper>
      <AddUser onDone={(text) => { setMessage({ ok: true, text }); queryClient.invalidateQueries({ queryKey: ['users'] }); }} />
      <ResetPassword user={resetting} onClose={() => setResetting(null)} onDone={(text) => setMessage({ ok: true, text })} />
    </Stack>
  );
}

function AddUser({ onDone }: { onDone: (text: string) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ email: '', name: '', role: 'viewer' as Role, password: '' });
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/api/v1/users', { method: 'POST', body: form });
      onDone(t('users.created', { email: form.email }));
      setForm({ email: '', name: '', role: 'viewer', password: '' });
    } catch (e) {
      setError(problemText(t, e));
    }
  };
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit}>
      <Title order={5} mb="sm">{t('users.add')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('users.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-testid="new-user-name" />
        <TextInput label={t('users.email')} type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} data-testid="new-user-email" />
        <Select label={t('users.role')} data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} value={form.role} allowDeselect={false} onChange={(v) => setForm({ ...form, role: (v ?? 'viewer') as Role })} data-testid="new-user-role" />
        <PasswordInput label={t('users.password')} description={t('users.passwordHelp')} required autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} data-testid="new-user-password" />
      </SimpleGrid>
      <Group mt="md">
        <Button type="submit" data-testid="new-user-submit">{t('users.add')}</Button>
        {error && <Text c="red" size="sm" data-testid="new-user-error">{error}</Text>}
      </Group>
    </Paper>
  );
}

function ResetPassword({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: (text: string) => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => { setPassword(''); setError(null); onClose(); };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!user) return;
    setError(null);
    try {
      await api(`/api/v1/users/${user.id}/password`, { method: 'PUT', body: { password } });
      onDone(t('users.resetDone', { name: user.name }));
      close();
    } catch (e) {
      setError(problemText(t, e));
    }
  };
  return (
    <Modal opened={user !== null} onClose={close} title={user ? t('users.resetTitle', { name: user.name }) : ''}>
      <form onSubmit={submit}>
        <Stack>
          <PasswordInput label={t('users.newPassword')} description={t('users.passwordHelp')} required autoComplete="new-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="reset-password" data-autofocus />
          {error && <Text c="red" size="sm" data-testid="reset-error">{error}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{t('users.cancel')}</Button>
            <Button type="submit" data-testid="reset-submit">{t('users.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
