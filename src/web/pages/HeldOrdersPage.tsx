import { Button, Center, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import { useMe } from '../api/hooks';
import { Money, QueryState } from '../components/widgets';
import { formatDate } from '../format';
import { localizeReason } from '../../i18n/reasons';

type HeldOrder = { id: string; customerId: string; customerName: string; orderRef: string | null; amount: string; reasons: string[]; createdAt: string };

/** Orders an order check put on hold: release or cancel them, with a reason. */
export function HeldOrdersPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const currency = useMe().data?.organisation.baseCurrency ?? 'EUR';
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const held = useQuery({ queryKey: ['held-orders'], queryFn: () => api<{ items: HeldOrder[] }>('/api/v1/order-checks?holdStatus=held') });
  const decide = async (id: string, action: 'release' | 'cancel') => {
    await api(`/api/v1/order-checks/${id}/${action}`, { method: 'POST', body: { reason: reasons[id] || t('held.defaultReason') } });
    await queryClient.invalidateQueries();
  };
  return (
    <Stack>
      <Title order={2}>{t('held.title')}</Title>
      <Paper withBorder p="md" radius="md">
        <QueryState query={held}>
          {() =>
            held.data!.items.length === 0 ? (
              <Center p="md">
                <Text c="dimmed">{t('held.empty')}</Text>
              </Center>
            ) : (
              <Table striped data-testid="held-orders">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('held.date')}</Table.Th>
                    <Table.Th>{t('held.customer')}</Table.Th>
                    <Table.Th>{t('held.order')}</Table.Th>
                    <Table.Th ta="right">{t('held.amount')}</Table.Th>
                    <Table.Th>{t('held.why')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {held.data!.items.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Td>{formatDate(o.createdAt)}</Table.Td>
                      <Table.Td>
                        <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link>
                      </Table.Td>
                      <Table.Td ff="monospace">{o.orderRef ?? '—'}</Table.Td>
                      <Table.Td ta="right">
                        <Money amount={o.amount} currency={currency} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{o.reasons.map((r) => localizeReason(r, i18n.language)).join(' · ')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <TextInput size="xs" placeholder={t('held.reason')} value={reasons[o.id] ?? ''} onChange={(e) => setReasons({ ...reasons, [o.id]: e.currentTarget.value })} />
                          <Button size="xs" onClick={() => decide(o.id, 'release')}>
                            {t('held.release')}
                          </Button>
                          <Button size="xs" variant="default" onClick={() => decide(o.id, 'cancel')}>
                            {t('held.cancel')}
                          </Button>
                        </Group>
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
