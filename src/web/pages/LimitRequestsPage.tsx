import { Anchor, Badge, Button, Center, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError } from '../api/client';
import { useMe } from '../api/hooks';
import { Money, QueryState } from '../components/widgets';
import { formatDate } from '../format';

type LimitRequest = {
  id: string; customerId: string; customerName: string; amount: string; currentLimit: string | null; validUntil: string | null; reason: string;
  status: 'pending' | 'approved' | 'rejected'; requestedBy: string | null; decisionReason: string | null; createdAt: string;
};
const STATUS_COLORS = { pending: 'orange', approved: 'teal', rejected: 'red' } as const;

/** Requests for new or higher limits: a credit manager approves (possibly another amount) or rejects, with a reason. */
export function LimitRequestsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe().data;
  const currency = me?.organisation.baseCurrency ?? 'EUR';
  const canDecide = me?.role === 'admin' || me?.role === 'credit_manager';
  const [status, setStatus] = useState('pending');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const requests = useQuery({ queryKey: ['limit-requests', status], queryFn: () => api<{ items: LimitRequest[] }>(`/api/v1/limit-requests?status=${status}`) });
  const decide = async (r: LimitRequest, action: 'approve' | 'reject') => {
    setError(null);
    try {
      const amount = amounts[r.id]?.replace(/\s/g, '').replace(',', '.');
      await api(`/api/v1/limit-requests/${r.id}/${action}`, { method: 'POST', body: { reason: reasons[r.id] || t('limits.defaultReason'), ...(action === 'approve' && amount ? { amount } : {}) } });
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Stack>
      <Title order={2}>{t('limits.title')}</Title>
      <SegmentedControl value={status} onChange={setStatus} w={420} data={['pending', 'approved', 'rejected'].map((s) => ({ value: s, label: t(`limits.statuses.${s}`) }))} />
      {error && <Text c="red">{error}</Text>}
      <Paper withBorder p="md" radius="md">
        <QueryState query={requests}>
          {() =>
            requests.data!.items.length === 0 ? (
              <Center p="md">
                <Text c="dimmed">{t('limits.empty')}</Text>
              </Center>
            ) : (
              <Table striped data-testid="limit-requests">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('limits.date')}</Table.Th>
                    <Table.Th>{t('limits.customer')}</Table.Th>
                    <Table.Th ta="right">{t('limits.current')}</Table.Th>
                    <Table.Th ta="right">{t('limits.requested')}</Table.Th>
                    <Table.Th>{t('limits.why')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {requests.data!.items.map((r) => (
                    <Table.Tr key={r.id} data-testid="limit-request-row">
                      <Table.Td>{formatDate(r.createdAt)}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${r.customerId}`} size="sm">{r.customerName}</Anchor>
                      </Table.Td>
                      <Table.Td ta="right">{r.currentLimit ? <Money amount={r.currentLimit} currency={currency} /> : '—'}</Table.Td>
                      <Table.Td ta="right">
                        <Money amount={r.amount} currency={currency} />
                        {r.validUntil && <Text size="xs" c="dimmed">{t('limits.until', { date: formatDate(r.validUntil) })}</Text>}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.reason}</Text>
                        <Text size="xs" c="dimmed">{r.requestedBy}</Text>
                        {r.decisionReason && <Text size="xs">→ {r.decisionReason}</Text>}
                      </Table.Td>
                      <Table.Td>
                        {r.status === 'pending' && canDecide ? (
                          <Group gap="xs" wrap="nowrap">
                            <TextInput size="xs" w={110} placeholder={t('limits.grant')} value={amounts[r.id] ?? ''} onChange={(e) => setAmounts({ ...amounts, [r.id]: e.currentTarget.value })} />
                            <TextInput size="xs" placeholder={t('limits.reason')} value={reasons[r.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [r.id]: e.currentTarget.value })} data-testid="limit-decision-reason" />
                            <Button size="xs" onClick={() => decide(r, 'approve')} data-testid="limit-approve">{t('limits.approve')}</Button>
                            <Button size="xs" variant="default" onClick={() => decide(r, 'reject')}>{t('limits.reject')}</Button>
                          </Group>
                        ) : (
                          <Badge color={STATUS_COLORS[r.status]}>{t(`limits.statuses.${r.status}`)}</Badge>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
      </Paper>
    </Stack>
  );
}
