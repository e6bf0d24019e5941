import { Anchor, Badge, Button, Center, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import { QueryState } from '../components/widgets';
import { formatDate } from '../format';
import { localizeReason } from '../../i18n/reasons';

type Alert = { id: string; customerId: string; customerName: string; kind: string; severity: 'info' | 'warning' | 'critical'; title: string; status: string; createdAt: string };
const SEVERITY_COLORS = { info: 'blue', warning: 'orange', critical: 'red' } as const;

/** The alerts inbox: what changed about customers, to acknowledge once looked at. */
export function AlertsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('open');
  const alerts = useQuery({ queryKey: ['alerts', status], queryFn: () => api<{ items: Alert[] }>(`/api/v1/alerts?status=${status}`) });
  const acknowledge = async (id: string) => {
    await api(`/api/v1/alerts/${id}/acknowledge`, { method: 'POST' });
    await queryClient.invalidateQueries();
  };
  return (
    <Stack>
      <Title order={2}>{t('alerts.title')}</Title>
      <SegmentedControl value={status} onChange={setStatus} w={320} data={['open', 'acknowledged'].map((s) => ({ value: s, label: t(`alerts.statuses.${s}`) }))} />
      <Paper withBorder p="md" radius="md">
        <QueryState query={alerts}>
          {() =>
            alerts.data!.items.length === 0 ? (
              <Center p="md">
                <Text c="dimmed">{t('alerts.empty')}</Text>
              </Center>
            ) : (
              <Table striped data-testid="alerts-table">
                <Table.Tbody>
                  {alerts.data!.items.map((a) => (
                    <Table.Tr key={a.id} data-testid="alert-row">
                      <Table.Td>{formatDate(a.createdAt)}</Table.Td>
                      <Table.Td>
                        <Badge color={SEVERITY_COLORS[a.severity]}>{t(`alerts.severities.${a.severity}`)}</Badge>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${a.customerId}`} size="sm">
                          {a.customerName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{localizeReason(a.title, i18n.language)}</Table.Td>
                      <Table.Td>
                        {a.status === 'open' && (
                          <Button size="xs" variant="light" onClick={() => acknowledge(a.id)} data-testid="alert-acknowledge">
                            {t('alerts.acknowledge')}
                          </Button>
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
