import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../api/client';
import type { Me } from '../api/types';
import { LanguageSwitch } from '../components/AppLayout';

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const { user } = await api<{ user: Me }>('/api/v1/auth/login', { method: 'POST', body: { email, password } });
      queryClient.setQueryData(['me'], user);
      navigate('/');
    } catch (e) {
      setError(e instanceof ApiError && e.problem.status === 429 ? t('login.tooMany') : t('login.failed'));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Center h="100vh" bg="gray.1">
      <Paper shadow="md" p="xl" w={380} withBorder>
        <form onSubmit={submit}>
          <Stack>
            <Group justify="space-between">
              <div>
                <Title order={2} c="indigo.7">
                  {t('app.name')}
                </Title>
                <Text c="dimmed" size="sm">
                  {t('app.tagline')}
                </Text>
              </div>
              <LanguageSwitch />
            </Group>
            <Title order={4}>{t('login.title')}</Title>
            {error && <Alert color="red">{error}</Alert>}
            <TextInput label={t('login.email')} type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-testid="login-email" />
            <PasswordInput label={t('login.password')} required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="login-password" />
            <Button type="submit" loading={isSubmitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
