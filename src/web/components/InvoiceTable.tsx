import { Anchor, Badge, Button, Center, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Invoice } from '../api/types';
import { formatDate } from '../format';
import { Money } from './widgets';

export function StatusBadge({ invoice }: { invoice: Invoice }) {
  const { t } = useTranslation();
  if (invoice.isDisputed && invoice.status === 'open') return <Badge color="grape">{t('invoices.disputed')}</Badge>;
  if (invoice.status === 'paid') return <Badge color="teal" variant="light">{t('invoices.statusPaid')}</Badge>;
  if (invoice.status === 'cancelled') return <Badge color="gray">{t('invoices.statusCancelled')}</Badge>;
  if (invoice.daysPastDue > 0) return <Badge color="red">{t('invoices.statusOverdue')}</Badge>;
  return <Badge color="blue" variant="light">{t('invoices.statusOpen')}</Badge>;
}

export function InvoiceTable({ invoices, showCustomer, testId, hasMore, onMore, isFetching }: {
  invoices: Invoice[];
  showCustomer?: boolean;
  testId?: string;
  hasMore?: boolean;
  onMore?: () => void;
  isFetching?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('invoices.number')}</Table.Th>
              {showCustomer && <Table.Th>{t('invoices.customer')}</Table.Th>}
              <Table.Th>{t('invoices.issueDate')}</Table.Th>
              <Table.Th>{t('invoices.dueDate')}</Table.Th>
              <Table.Th ta="right">{t('invoices.total')}</Table.Th>
              <Table.Th ta="right">{t('invoices.open')}</Table.Th>
              <Table.Th ta="right">{t('invoices.daysPastDue')}</Table.Th>
              <Table.Th>{t('invoices.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invoices.map((i) => (
              <Table.Tr key={i.id} data-testid="invoice-row">
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {i.number}
                  </Text>
                  {i.kind === 'credit_note' && (
                    <Text size="xs" c="dimmed">
                      {t('invoices.credit_note')}
                    </Text>
                  )}
                </Table.Td>
                {showCustomer && (
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${i.customerId}`} size="sm">
                      {i.customerName}
                    </Anchor>
                  </Table.Td>
                )}
                <Table.Td>{formatDate(i.issueDate)}</Table.Td>
                <Table.Td>{formatDate(i.dueDate)}</Table.Td>
                <Table.Td ta="right">
                  <Money amount={i.totalInclTax} currency={i.currency} />
                </Table.Td>
                <Table.Td ta="right">
                  <Money amount={i.openAmount} currency={i.currency} overdue={i.daysPastDue > 0} />
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c={i.daysPastDue > 0 ? 'red.7' : 'dimmed'}>
                    {i.daysPastDue > 0 ? t('common.days', { count: i.daysPastDue }) : '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge invoice={i} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {invoices.length === 0 && (
        <Center p="md">
          <Text c="dimmed">{t('common.empty')}</Text>
        </Center>
      )}
      {hasMore && (
        <Center mt="sm">
          <Button variant="light" onClick={onMore} loading={isFetching}>
            {t('common.more')}
          </Button>
        </Center>
      )}
    </>
  );
}
