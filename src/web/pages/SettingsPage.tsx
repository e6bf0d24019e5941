import { Alert, Badge, Button, Code, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { useMe } from '../api/hooks';
import { QueryState } from '../components/widgets';

type Weights = { behaviour: number; financial: number; external: number };
type Settings = {
  scoring?: { weights?: Weights };
  credit?: {
    thresholds?: number[]; maxOverdueDays?: number; requireLimit?: boolean; deductInsured?: boolean; segmentThresholds?: Record<string, number[]>; limitPolicy?: Record<string, unknown>;
    noLimit?: NoLimit; defaultLimits?: Record<string, string>; reservationDays?: number;
  };
  collections?: { promiseGraceDays?: number };
  monitoring?: { enabled?: boolean; refreshDays?: Record<string, number> };
};
type NoLimit = 'accept' | 'hold' | 'refuse' | 'band';
type Defaults = { scoring: { weights: Weights }; credit: { thresholds: number[]; maxOverdueDays: number; requireLimit: boolean; deductInsured: boolean; noLimit: NoLimit; reservationDays: number }; collections: { promiseGraceDays: number }; monitoring: { enabled: boolean; refreshDays: Record<string, number> } };
type Channel = { id: string; kind: 'email' | 'webhook'; target: string; minSeverity: string; active: boolean; delivered: number; failed: number; pending: number };
const BANDS = ['A', 'B', 'C', 'D', 'E'] as const;

/** Score weights, alert thresholds, order-check rules, monitoring frequency and alert channels. */
export function SettingsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const isAdmin = useMe().data?.role === 'admin';
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api<{ settings: Settings; defaults: Defaults }>('/api/v1/settings') });
  const [draft, setDraft] = useState<Settings | null>(null);
  const [thresholds, setThresholds] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (settings.data && !draft) {
      setDraft(settings.data.settings);
      setThresholds((settings.data.settings.credit?.thresholds ?? settings.data.defaults.credit.thresholds).join(', '));
    }
  }, [settings.data, draft]);

  const save = async () => {
    if (!draft) return;
    const parsed = thresholds.split(/[,;\s]+/).filter(Boolean).map(Number);
    const body: Settings = { ...draft, credit: { ...draft.credit, thresholds: parsed } };
    try {
      await api('/api/v1/settings', { method: 'PATCH', body });
      setMessage({ ok: true, text: t('settings.saved') });
      await queryClient.invalidateQueries();
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError ? [e.message, ...(e.problem.errors ?? []).map((i) => `${i.field}: ${i.reason}`)].join(' — ') : String(e) });
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('settings.title')}</Title>
      <QueryState query={settings}>
        {() => {
          if (!draft) return null;
          const d = settings.data!.defaults;
          const weights = draft.scoring?.weights ?? d.scoring.weights;
          const setWeight = (key: keyof Weights, value: number) => setDraft({ ...draft, scoring: { ...draft.scoring, weights: { ...weights, [key]: value } } });
          const credit = { ...d.credit, ...draft.credit };
          const collections = { ...d.collections, ...draft.collections };
          const monitoring = { ...d.monitoring, ...draft.monitoring, refreshDays: { ...d.monitoring.refreshDays, ...draft.monitoring?.refreshDays } };
          return (
            <Stack>
              <Paper withBorder p="md" radius="md">
                <Title order={5} mb="sm">{t('settings.weights')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  {(['behaviour', 'financial', 'external'] as const).map((key) => (
                    <NumberInput key={key} label={t(`settings.weight.${key}`)} min={0} max={1} step={0.05} decimalScale={2} value={weights[key]} disabled={!isAdmin} onChange={(v) => setWeight(key, Number(v))} data-testid={`weight-${key}`} />
                  ))}
                </SimpleGrid>
              </Paper>
              <Paper withBorder p="md" radius="md">
                <Title order={5} mb="sm">{t('settings.credit')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput label={t('settings.thresholds')} description={t('settings.thresholdsHelp')} value={thresholds} disabled={!isAdmin} onChange={(e) => setThresholds(e.currentTarget.value)} data-testid="thresholds" />
                  <NumberInput label={t('settings.maxOverdueDays')} min={0} max={365} value={credit.maxOverdueDays} disabled={!isAdmin} onChange={(v) => setDraft({ ...draft, credit: { ...draft.credit, maxOverdueDays: Number(v) } })} />
                  {/* requireLimit is the former name of noLimit "refuse": the select replaces it. */}
                  <Select label={t('settings.noLimit')} description={t('settings.noLimitHelp')} value={draft.credit?.noLimit ?? (credit.requireLimit ? 'refuse' : credit.noLimit)} disabled={!isAdmin} allowDeselect={false}
                    data={(['accept', 'hold', 'refuse', 'band'] as const).map((p) => ({ value: p, label: t(`settings.noLimitPolicies.${p}`) }))}
                    onChange={(v) => setDraft({ ...draft, credit: { ...draft.credit, noLimit: (v ?? 'accept') as NoLimit, requireLimit: undefined } })} data-testid="no-limit" />
                  <NumberInput label={t('settings.reservationDays')} description={t('settings.reservationDaysHelp')} min={1} max={90} value={credit.reservationDays} disabled={!isAdmin}
                    onChange={(v) => setDraft({ ...draft, credit: { ...draft.credit, reservationDays: Number(v) } })} data-testid="reservation-days" />
                  <Switch label={t('settings.deductInsured')} checked={credit.deductInsured} disabled={!isAdmin} onChange={(e) => setDraft({ ...draft, credit: { ...draft.credit, deductInsured: e.currentTarget.checked } })} />
                </SimpleGrid>
                {(draft.credit?.noLimit ?? credit.noLimit) === 'band' && (
                  <>
                  <Text size="xs" c="dimmed" mt="sm">{t('settings.defaultLimitHelp')}</Text>
                  <SimpleGrid cols={{ base: 2, sm: 5 }} mt={4}>
                    {BANDS.map((band) => (
                      <TextInput key={band} label={t('settings.defaultLimit', { band })} inputMode="decimal" value={draft.credit?.defaultLimits?.[band] ?? ''} disabled={!isAdmin}
                        onChange={(e) => {
                          const value = e.currentTarget.value.trim().replace(',', '.');
                          const { [band]: _, ...others } = draft.credit?.defaultLimits ?? {};
                          setDraft({ ...draft, credit: { ...draft.credit, defaultLimits: value ? { ...others, [band]: value } : others } });
                        }} data-testid={`default-limit-${band}`} />
                    ))}
                  </SimpleGrid>
                  </>
                )}
              </Paper>
              <Paper withBorder p="md" radius="md">
                <Title order={5} mb="sm">{t('settings.collections')}</Title>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <NumberInput label={t('settings.promiseGraceDays')} description={t('settings.promiseGraceDaysHelp')} min={0} max={30} value={collections.promiseGraceDays} disabled={!isAdmin}
                    onChange={(v) => setDraft({ ...draft, collections: { ...draft.collections, promiseGraceDays: Number(v) } })} data-testid="promise-grace-days" />
                </SimpleGrid>
              </Paper>
              <Paper withBorder p="md" radius="md">
                <Title order={5} mb="sm">{t('settings.monitoring')}</Title>
                <Switch mb="sm" label={t('settings.monitoringEnabled')} checked={monitoring.enabled} disabled={!isAdmin} onChange={(e) => setDraft({ ...draft, monitoring: { ...draft.monitoring, enabled: e.currentTarget.checked } })} />
                <SimpleGrid cols={{ base: 2, sm: 5 }}>
                  {BANDS.map((band) => (
                    <NumberInput key={band} label={t('settings.refreshDays', { band })} min={1} max={365} value={monitoring.refreshDays[band]} disabled={!isAdmin}
                      onChange={(v) => setDraft({ ...draft, monitoring: { ...draft.monitoring, refreshDays: { ...draft.monitoring?.refreshDays, [band]: Number(v) } } })} />
                  ))}
                </SimpleGrid>
              </Paper>
              {isAdmin && (
                <Group>
                  <Button onClick={save} data-testid="settings-save">{t('settings.save')}</Button>
                  {message && <Text c={message.ok ? 'teal' : 'red'} size="sm" data-testid="settings-message">{message.text}</Text>}
                </Group>
              )}
            </Stack>
          );
        }}
      </QueryState>
      {isAdmin && <AlertChannels />}
    </Stack>
  );
}

function AlertChannels() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const channels = useQuery({ queryKey: ['alert-channels'], queryFn: () => api<{ items: Channel[] }>('/api/v1/alert-channels') });
  const [kind, setKind] = useState<'email' | 'webhook'>('email');
  const [target, setTarget] = useState('');
  const [minSeverity, setMinSeverity] = useState('warning');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      const created = await api<{ id: string; secret: string | null }>('/api/v1/alert-channels', { method: 'POST', body: { kind, target, minSeverity } });
      setSecret(created.secret);
      setTarget('');
      await queryClient.invalidateQueries({ queryKey: ['alert-channels'] });
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...(e.problem.errors ?? []).map((i) => `${i.field}: ${i.reason}`)].join(' — ') : String(e));
    }
  };
  const remove = async (id: string) => {
    await api(`/api/v1/alert-channels/${id}`, { method: 'DELETE' });
    await queryClient.invalidateQueries({ queryKey: ['alert-channels'] });
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={5} mb="sm">{t('settings.channels')}</Title>
      <QueryState query={channels}>
        {() => (
          <Table data-testid="alert-channels">
            <Table.Tbody>
              {channels.data!.items.filter((c) => c.active).map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td><Badge variant="light">{c.kind}</Badge></Table.Td>
                  <Table.Td>{c.target}</Table.Td>
                  <Table.Td>{t(`alerts.severities.${c.minSeverity}`)}+</Table.Td>
                  <Table.Td><Text size="xs" c="dimmed">{t('settings.deliveries', { delivered: c.delivered, failed: c.failed, pending: c.pending })}</Text></Table.Td>
                  <Table.Td><Button size="xs" variant="subtle" color="red" onClick={() => remove(c.id)}>{t('settings.remove')}</Button></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Group mt="sm" align="flex-end">
        <Select w={130} label={t('settings.channelKind')} value={kind} onChange={(v) => setKind((v as 'email') ?? 'email')} data={[{ value: 'email', label: 'E-mail' }, { value: 'webhook', label: 'Webhook' }]} />
        <TextInput style={{ flex: 1 }} label={kind === 'email' ? t('settings.emailTarget') : t('settings.webhookTarget')} value={target} onChange={(e) => setTarget(e.currentTarget.value)} />
        <Select w={150} label={t('settings.minSeverity')} value={minSeverity} onChange={(v) => setMinSeverity(v ?? 'warning')} data={['info', 'warning', 'critical'].map((s) => ({ value: s, label: t(`alerts.severities.${s}`) }))} />
        <Button onClick={add}>{t('settings.add')}</Button>
      </Group>
      {error && <Text c="red" size="sm" mt="xs">{error}</Text>}
      {secret && (
        <Alert mt="sm" color="yellow" title={t('settings.secretOnce')}>
          <Code>{secret}</Code>
        </Alert>
      )}
    </Paper>
  );
}
