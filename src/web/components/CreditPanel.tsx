import { Badge, Button, Group, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { useMe } from '../api/hooks';
import { formatMoney, formatNumber } from '../format';
import { localizeReason } from '../../i18n/reasons';
import { QueryState, Section } from './widgets';

type CreditPosition = {
  currency: string; limit: { source: string; amount: string; validUntil: string | null; coverPercent?: string | null } | null; limitReason: string; exposure: string;
  openReceivables: string; openOrders: string; reserved?: string; available: string | null; usedPercent: number | null; thresholdsCrossed: number[];
  grossExposure: string; insured: string; blocked: boolean;
  group: { rootId: string; name: string; members: number; exposure: string; limit: string | null; usedPercent: number | null } | null;
  legal: { procedure: string | null; isClosed: boolean };
};

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size="sm" c="dimmed">{label}</Text>
      <Text size="sm" ta="right">{children}</Text>
    </Group>
  );
}

const usedColor = (used: number) => (used >= 100 ? 'red' : used >= 90 ? 'orange' : used >= 70 ? 'yellow' : 'teal');

/** Limit in force, exposure (receivables + orders), insured part, group limit; limit requests and blocking. */
export function CreditPanel({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const role = useMe().data?.role;
  const position = useQuery({ queryKey: ['credit', customerId], queryFn: () => api<CreditPosition>(`/api/v1/customers/${customerId}/credit`) });
  const [requesting, setRequesting] = useState(false);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const canRequest = role === 'admin' || role === 'credit_manager' || role === 'sales';
  const canBlock = role === 'admin' || role === 'credit_manager';

  const sendRequest = async () => {
    setError(null);
    try {
      await api(`/api/v1/customers/${customerId}/limit-requests`, { method: 'POST', body: { amount: amount.replace(/\s/g, '').replace(',', '.'), reason } });
      setRequesting(false);
      setSent(true);
      await queryClient.invalidateQueries({ queryKey: ['limit-requests'] });
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...(e.problem.errors ?? []).map((i) => `${i.field}: ${i.reason}`)].join(' — ') : String(e));
    }
  };
  const toggleBlock = async (blocked: boolean) => {
    await api(`/api/v1/customers/${customerId}/block`, { method: 'POST', body: { blocked, reason: blocked ? t('credit.blockReason') : t('credit.unblockReason') } });
    await queryClient.invalidateQueries();
  };

  return (
    <Section
      title={t('customer.credit')}
      right={
        <Group gap="xs">
          {canRequest && (
            <Button size="xs" variant="light" onClick={() => setRequesting(true)} data-testid="limit-request-open">
              {t('credit.requestLimit')}
            </Button>
          )}
          {canBlock && position.data && (
            <Button size="xs" variant="subtle" color={position.data.blocked ? 'teal' : 'red'} onClick={() => toggleBlock(!position.data!.blocked)} data-testid="block-toggle">
              {position.data.blocked ? t('credit.unblock') : t('credit.block')}
            </Button>
          )}
        </Group>
      }
    >
      <QueryState query={position} height={80}>
        {() => {
          const p = position.data!;
          const used = p.usedPercent ?? 0;
          return (
            <Stack gap={6} data-testid="credit-panel">
              {(p.blocked || p.legal.procedure || p.legal.isClosed) && (
                <Group gap="xs">
                  {p.blocked && <Badge color="red">{t('credit.blocked')}</Badge>}
                  {(p.legal.procedure || p.legal.isClosed) && <Badge color="red" variant="light">{t('credit.noNewCredit')}</Badge>}
                </Group>
              )}
              <Line label={t('customer.limit')}>
                {p.limit ? `${formatMoney(p.limit.amount, p.currency)} (${t(`customer.sources.${p.limit.source}`)})` : t('customer.noLimit')}
              </Line>
              {p.limit && <Text size="xs" c="dimmed" ta="right">{localizeReason(p.limitReason, i18n.language)}</Text>}
              <Line label={t('customer.exposure')}>{formatMoney(p.exposure, p.currency)}</Line>
              <Line label={t('customer.openOrders')}>{formatMoney(p.openOrders, p.currency)}</Line>
              {p.reserved && p.reserved !== '0.00' && <Line label={t('customer.reserved')}>{formatMoney(p.reserved, p.currency)}</Line>}
              {p.insured !== '0.00' && <Line label={t('credit.insured')}>{formatMoney(p.insured, p.currency)}</Line>}
              {p.usedPercent !== null && (
                <>
                  <Progress value={Math.min(100, used)} color={usedColor(used)} size="lg" />
                  <Text size="xs" c="dimmed">{t('customer.used', { percent: formatNumber(used) })}</Text>
                </>
              )}
              {p.group && (
                <Stack gap={4} mt="xs" data-testid="group-exposure">
                  <Line label={t('credit.group', { name: p.group.name, count: p.group.members })}>
                    {formatMoney(p.group.exposure, p.currency)} / {p.group.limit ? formatMoney(p.group.limit, p.currency) : t('customer.noLimit')}
                  </Line>
                  {p.group.usedPercent !== null && <Progress value={Math.min(100, p.group.usedPercent)} color={usedColor(p.group.usedPercent)} size="sm" />}
                </Stack>
              )}
              {sent && <Text size="xs" c="teal">{t('credit.requestSent')}</Text>}
            </Stack>
          );
        }}
      </QueryState>
      <Modal opened={requesting} onClose={() => setRequesting(false)} title={t('credit.requestLimit')}>
        <Stack>
          <TextInput label={t('credit.requestedAmount')} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} data-testid="limit-request-amount" />
          <TextInput label={t('credit.requestReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="limit-request-reason" />
          {error && <Text c="red" size="sm">{error}</Text>}
          <Button onClick={sendRequest} data-testid="limit-request-send">{t('credit.send')}</Button>
        </Stack>
      </Modal>
    </Section>
  );
}
