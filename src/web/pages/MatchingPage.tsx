import { Badge, Button, Center, Group, Paper, SegmentedControl, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { Money, QueryState } from '../components/widgets';
import { formatDate } from '../format';
import { localizeReason } from '../../i18n/reasons';

type Match = {
  id: string; status: 'applied' | 'proposed' | 'rejected' | 'undone'; method: string; confidence: number; reasons: string[];
  customer: { id: string; name: string } | null; allocations: { invoiceId: string; invoiceNumber: string; amount: string }[]; unapplied: string;
  line: { id: string; bookingDate: string; amount: string; currency: string; counterpartyName: string | null; remittance: string | null };
};

/** The review queue: bank credits matched with too little confidence to be applied alone. */
export function MatchingPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('proposed');
  const [busy, setBusy] = useState<string | null>(null);
  const matches = useQuery({ queryKey: ['payment-matches', status], queryFn: () => api<{ items: Match[] }>(`/api/v1/payment-matches?status=${status}`) });

  const decide = async (id: string, decision: 'apply' | 'reject' | 'undo') => {
    setBusy(id);
    try {
      await api(`/api/v1/payment-matches/${id}/${decision}`, { method: 'POST' });
      await queryClient.invalidateQueries();
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('matching.title')}</Title>
      <SegmentedControl
        value={status}
        onChange={setStatus}
        w={420}
        data={['proposed', 'applied', 'rejected', 'undone'].map((s) => ({ value: s, label: t(`matching.statuses.${s}`) }))}
        data-testid="matching-status"
      />
      <Paper withBorder p="md" radius="md">
        <QueryState query={matches}>
          {() =>
            matches.data!.items.length === 0 ? (
              <Center p="md">
                <Text c="dimmed">{t('matching.empty')}</Text>
              </Center>
            ) : (
              <Table.ScrollContainer minWidth={900}>
                <Table striped data-testid="matching-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('matching.date')}</Table.Th>
                      <Table.Th ta="right">{t('matching.amount')}</Table.Th>
                      <Table.Th>{t('matching.payer')}</Table.Th>
                      <Table.Th>{t('matching.customer')}</Table.Th>
                      <Table.Th>{t('matching.invoices')}</Table.Th>
                      <Table.Th>{t('matching.confidence')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {matches.data!.items.map((m) => (
                      <Table.Tr key={m.id} data-testid="match-row">
                        <Table.Td>{formatDate(m.line.bookingDate)}</Table.Td>
                        <Table.Td ta="right">
                          <Money amount={m.line.amount} currency={m.line.currency} />
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{m.line.counterpartyName ?? '—'}</Text>
                          <Text size="xs" c="dimmed" lineClamp={2}>
                            {m.line.remittance}
                          </Text>
                        </Table.Td>
                        <Table.Td>{m.customer?.name ?? '—'}</Table.Td>
                        <Table.Td>
                          {m.allocations.map((a) => (
                            <Text key={a.invoiceId} size="xs" ff="monospace">
                              {a.invoiceNumber} · <Money amount={a.amount} currency={m.line.currency} />
                            </Text>
                          ))}
                        </Table.Td>
                        <Table.Td>
                          <Tooltip multiline w={360} label={m.reasons.map((r) => localizeReason(r, i18n.language)).join(' · ')}>
                            <Badge color={m.confidence >= 0.9 ? 'teal' : m.confidence >= 0.7 ? 'yellow' : 'orange'}>{Math.round(m.confidence * 100)} %</Badge>
                          </Tooltip>
                          <Text size="xs" c="dimmed" maw={320}>
                            {m.reasons[0] !== undefined && localizeReason(m.reasons[0], i18n.language)}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            {m.status === 'proposed' && (
                              <>
                                <Button size="xs" loading={busy === m.id} onClick={() => decide(m.id, 'apply')} data-testid="match-apply">
                                  {t('matching.apply')}
                                </Button>
                                <Button size="xs" variant="default" disabled={busy === m.id} onClick={() => decide(m.id, 'reject')}>
                                  {t('matching.reject')}
                                </Button>
                              </>
                            )}
                            {m.status === 'applied' && (
                              <Button size="xs" variant="light" color="red" loading={busy === m.id} onClick={() => decide(m.id, 'undo')}>
                                {t('matching.undo')}
                              </Button>
                            )}
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryState>
      </Paper>
    </Stack>
  );
}
