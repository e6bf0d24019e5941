import { Badge, Button, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { useMe } from '../api/hooks';
import { formatDate, formatMoney } from '../format';
import { QueryState, Section } from './widgets';

type PaymentPromise = { id: string; amount: string; currency: string; madeOn: string; promisedDate: string; status: 'open' | 'kept' | 'broken' | 'cancelled'; paid: string; invoiceNumbers: string[]; note: string | null };

const STATUS_COLOR = { open: 'blue', kept: 'teal', broken: 'red', cancelled: 'gray' } as const;

/** A customer's promises to pay, kept or broken by the payments received; collectors record new ones. */
export function PromisesPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const role = useMe().data?.role;
  const promises = useQuery({ queryKey: ['promises', customerId], queryFn: () => api<{ items: PaymentPromise[] }>(`/api/v1/customers/${customerId}/promises`) });
  const [recording, setRecording] = useState(false);
  const [form, setForm] = useState({ amount: '', promisedDate: '', invoices: '', note: '' });
  const [error, setError] = useState<string | null>(null);
  const canRecord = role === 'admin' || role === 'credit_manager' || role === 'collector';

  const record = async () => {
    setError(null);
    try {
      const invoiceNumbers = form.invoices.split(/[\s,;]+/).filter(Boolean);
      await api(`/api/v1/customers/${customerId}/promises`, {
        method: 'POST',
        body: { amount: form.amount.replace(/\s/g, '').replace(',', '.'), promisedDate: form.promisedDate, invoiceNumbers, note: form.note || null },
      });
      setRecording(false);
      setForm({ amount: '', promisedDate: '', invoices: '', note: '' });
      await queryClient.invalidateQueries({ queryKey: ['promises', customerId] });
    } catch (e) {
      setError(e instanceof ApiError ? [e.message, ...(e.problem.errors ?? []).map((i) => `${i.field}: ${i.reason}`)].join(' — ') : String(e));
    }
  };

  return (
    <Section
      title={t('promises.title')}
      right={
        canRecord && (
          <Button size="xs" variant="light" onClick={() => setRecording(true)} data-testid="promise-open">
            {t('promises.record')}
          </Button>
        )
      }
    >
      <QueryState query={promises} height={60}>
        {() =>
          promises.data!.items.length === 0 ? (
            <Text c="dimmed" size="sm">{t('promises.none')}</Text>
          ) : (
            <Table striped data-testid="customer-promises">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('promises.promisedDate')}</Table.Th>
                  <Table.Th ta="right">{t('promises.amount')}</Table.Th>
                  <Table.Th ta="right">{t('promises.paid')}</Table.Th>
                  <Table.Th>{t('promises.status')}</Table.Th>
                  <Table.Th>{t('promises.invoices')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {promises.data!.items.map((p) => (
                  <Table.Tr key={p.id} title={p.note ?? undefined}>
                    <Table.Td>{formatDate(p.promisedDate)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(p.amount, p.currency)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(p.paid, p.currency)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[p.status]} variant="light">{t(`promises.statuses.${p.status}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">{p.invoiceNumbers.join(', ')}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
      <Modal opened={recording} onClose={() => setRecording(false)} title={t('promises.record')}>
        <Stack>
          <TextInput label={t('promises.amount')} value={form.amount} onChange={(e) => setForm({ ...form, amount: e.currentTarget.value })} data-testid="promise-amount" />
          <TextInput type="date" label={t('promises.promisedDate')} value={form.promisedDate} onChange={(e) => setForm({ ...form, promisedDate: e.currentTarget.value })} data-testid="promise-date" />
          <TextInput label={t('promises.invoices')} value={form.invoices} onChange={(e) => setForm({ ...form, invoices: e.currentTarget.value })} />
          <TextInput label={t('promises.note')} value={form.note} onChange={(e) => setForm({ ...form, note: e.currentTarget.value })} />
          {error && <Text c="red" size="sm">{error}</Text>}
          <Button onClick={record} data-testid="promise-send">{t('promises.save')}</Button>
        </Stack>
      </Modal>
    </Section>
  );
}
