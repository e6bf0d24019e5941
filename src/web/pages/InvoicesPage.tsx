import { Group, Paper, SegmentedControl, Select, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInvoices } from '../api/hooks';
import { InvoiceTable } from '../components/InvoiceTable';
import { QueryState } from '../components/widgets';

const SORTS = ['dueDate', '-dueDate', '-totalInclTax', 'totalInclTax', '-openAmount'] as const;

export function InvoicesPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('overdue');
  const [kind, setKind] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 300);
  const [sort, setSort] = useState<string>('dueDate');
  const invoices = useInvoices({ status, kind: kind ?? undefined, search: debouncedSearch || undefined, sort });

  return (
    <Stack>
      <Title order={2}>{t('invoices.title')}</Title>
      <Paper withBorder p="md" radius="md">
        <Group align="end">
          <SegmentedControl
            value={status}
            onChange={setStatus}
            data={[
              { value: 'overdue', label: t('invoices.statusOverdue') },
              { value: 'open', label: t('invoices.statusOpen') },
              { value: 'paid', label: t('invoices.statusPaid') },
              { value: 'all', label: t('common.all') },
            ]}
            data-testid="invoices-status"
          />
          <Select
            label={t('invoices.kind')}
            placeholder={t('common.all')}
            clearable
            value={kind}
            onChange={setKind}
            data={[
              { value: 'invoice', label: t('invoices.invoice') },
              { value: 'credit_note', label: t('invoices.credit_note') },
            ]}
            w={160}
          />
          <TextInput label={t('common.search')} placeholder={t('invoices.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={220} />
          <Select label={t('customers.sort')} value={sort} onChange={(v) => v && setSort(v)} data={SORTS.map((s) => ({ value: s, label: t(`sort.${s}`) }))} w={240} />
        </Group>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <QueryState query={invoices}>
          {() => (
            <InvoiceTable
              invoices={invoices.data!.pages.flatMap((p) => p.items)}
              showCustomer
              testId="invoices-table"
              hasMore={invoices.hasNextPage}
              onMore={() => invoices.fetchNextPage()}
              isFetching={invoices.isFetchingNextPage}
            />
          )}
        </QueryState>
      </Paper>
    </Stack>
  );
}
