import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useMe } from '../api/hooks';
import { problemText } from '../api/problem-text';

/** The logged-in user's account: who they are, and changing their password (the current one is required). */
export function AccountPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const empty = { currentPassword: '', newPassword: '', confirm: '' };
  const [form, setForm] = useState(empty);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // A message is written in the language of the moment: drop it when the language changes.
  useEffect(() => setMessage(null), [i18n.language]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    if (form.newPassword !== form.confirm) {
      setMessage({ ok: false, text: t('account.mismatch') });
      return;
    }
    try {
      await api('/api/v1/auth/password', { method: 'PUT', body: { currentPassword: form.currentPassword, newPassword: form.newPassword } });
      setForm(empty);
      setMessage({ ok: true, text: t('account.changed') });
    } catch (e) {
      setMessage({ ok: false, text: problemText(t, e) });
    }
  };

  return (
    <Stack maw={560}>
      <Title order={2}>{t('account.title')}</Title>
      {me && (
        <Text c="dimmed">
          {me.name} · {me.email} · {t(`roles.${me.role}`)}
        </Text>
      )}
      <Paper withBorder p="md" radius="md" component="form" onSubmit={submit}>
        <Title order={5} mb="sm">{t('account.changePassword')}</Title>
        <Stack>
          <PasswordInput label={t('account.currentPassword')} required autoComplete="current-password" value={form.currentPassword} onChange={(e) => setForm({ ...form, currentPassword: e.currentTarget.value })} data-testid="current-password" />
          <PasswordInput label={t('account.newPassword')} description={t('account.help')} required autoComplete="new-password" value={form.newPassword} onChange={(e) => setForm({ ...form, newPassword: e.currentTarget.value })} data-testid="new-password" />
          <PasswordInput label={t('account.confirmPassword')} required autoComplete="new-password" value={form.confirm} onChange={(e) => setForm({ ...form, confirm: e.currentTarget.value })} data-testid="confirm-password" />
          {message && <Alert color={message.ok ? 'teal' : 'red'} data-testid="account-message">{message.text}</Alert>}
          <Group>
            <Button type="submit" data-testid="change-password-submit">{t('account.submit')}</Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
