import { Button, Center, Group, MultiSelect, NumberInput, Paper, Select, Stack, Switch, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCustomers, useMe, useSegments } from '../api/hooks';
import { BandBadge, Money, QueryState } from '../components/widgets';

type Sort = 'legalName' | '-legalName' | 'outstanding' | '-outstanding' | 'overdue' | '-overdue' | 'exposure' | '-exposure' | 'riskScore' | '-riskScore';

function SortHeader({ label, field, sort, setSort, align }: { label: string; field: 'legalName' | 'outstanding' | 'overdue' | 'exposure' | 'riskScore'; sort: Sort; setSort: (s: Sort) => void; align?: 'right' }) {
  const isActive = sort.replace('-', '') === field;
  const isDescending = sort.startsWith('-');
  const next: Sort = isActive ? ((isDescending ? field : `-${field}`) as Sort) : ((field === 'legalName' ? field : `-${field}`) as Sort);
  return (
    <Table.Th ta={align}>
      <UnstyledButton onClick={() => setSort(next)} data-testid={`sort-${field}`}>
        <Text size="sm" fw={600}>
          {label} {isActive ? (isDescending ? '↓' : '↑') : ''}
        </Text>
      </UnstyledButton>
    </Table.Th>
  );
}

export function CustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 300);
  const [segment, setSegment] = useState<string | null>(null);
  const [hasOverdue, setHasOverdue] = useState(false);
  const [bands, setBands] = useState<string[]>([]);
  const [sort, setSort] = useState<Sort>('-outstanding');
  const [minScore, setMinScore] = useState<number | ''>('');
  const [maxScore, setMaxScore] = useState<number | ''>('');
  const [minExposure, setMinExposure] = useState<number | ''>('');
  const [filters] = useDebouncedValue({ minScore, maxScore, minExposure }, 300);
  const segments = useSegments();
  const currency = useMe().data?.organisation.baseCurrency ?? 'EUR';
  const customers = useCustomers({ search: debouncedSearch || undefined, segment: segment ?? undefined, hasOverdue, band: bands.length ? bands.sort().join(',') : undefined, sort,
    minScore: filters.minScore === '' ? undefined : filters.minScore, maxScore: filters.maxScore === '' ? undefined : filters.maxScore, minExposure: filters.minExposure === '' ? undefined : String(filters.minExposure) });

  return (
    <Stack>
      <Title order={2}>{t('customers.title')}</Title>
      <Paper withBorder p="md" radius="md">
        <Group align="end">
          <TextInput label={t('common.search')} placeholder={t('customers.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={320} data-testid="customers-search" />
          <Select label={t('customers.segment')} placeholder={t('common.all')} data={segments.data?.items ?? []} value={segment} onChange={setSegment} clearable w={200} />
          <MultiSelect label={t('customers.band')} placeholder={t('common.all')} data={['A', 'B', 'C', 'D', 'E']} value={bands} onChange={setBands} w={200} clearable data-testid="band-filter" />
          <NumberInput label={t('customers.minScore')} min={0} max={100} value={minScore} onChange={(v) => setMinScore(v === '' ? '' : Number(v))} w={110} data-testid="min-score" />
          <NumberInput label={t('customers.maxScore')} min={0} max={100} value={maxScore} onChange={(v) => setMaxScore(v === '' ? '' : Number(v))} w={110} data-testid="max-score" />
          <NumberInput label={t('customers.minExposure')} min={0} value={minExposure} onChange={(v) => setMinExposure(v === '' ? '' : Number(v))} w={150} thousandSeparator=" " data-testid="min-exposure" />
          <Switch label={t('customers.overdueOnly')} checked={hasOverdue} onChange={(e) => setHasOverdue(e.currentTarget.checked)} mb={6} />
        </Group>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <QueryState query={customers}>
          {() => {
            const items = customers.data!.pages.flatMap((p) => p.items);
            return (
              <>
                <Table.ScrollContainer minWidth={800}>
                  <Table highlightOnHover data-testid="customers-table">
                    <Table.Thead>
                      <Table.Tr>
                        <SortHeader label={t('customers.name')} field="legalName" sort={sort} setSort={setSort} />
                        <Table.Th>{t('customers.ref')}</Table.Th>
                        <Table.Th>SIREN</Table.Th>
                        <Table.Th>{t('customers.city')}</Table.Th>
                        <Table.Th>{t('customers.segment')}</Table.Th>
                        <SortHeader label={t('customers.outstanding')} field="outstanding" sort={sort} setSort={setSort} align="right" />
                        <SortHeader label={t('customers.overdue')} field="overdue" sort={sort} setSort={setSort} align="right" />
                        <SortHeader label={t('customers.exposure')} field="exposure" sort={sort} setSort={setSort} align="right" />
                        <Table.Th ta="right">{t('customers.openInvoices')}</Table.Th>
                        <SortHeader label={t('customers.risk')} field="riskScore" sort={sort} setSort={setSort} />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((c) => (
                        <Table.Tr key={c.id} data-testid="customer-row" style={{ cursor: 'pointer' }} onClick={() => navigate(`/customers/${c.id}`)}>
                          <Table.Td fw={500}>{c.legalName}</Table.Td>
                          <Table.Td>
                            <Text size="sm" ff="monospace" c="dimmed">
                              {c.externalRef}
                            </Text>
                          </Table.Td>
                          <Table.Td>{c.siren ?? '—'}</Table.Td>
                          <Table.Td>{c.city ?? '—'}</Table.Td>
                          <Table.Td>{c.segment ?? '—'}</Table.Td>
                          <Table.Td ta="right">
                            <Money amount={c.outstanding} currency={currency} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Money amount={c.overdue} currency={currency} overdue />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Money amount={c.exposure} currency={currency} />
                          </Table.Td>
                          <Table.Td ta="right">{c.openInvoiceCount}</Table.Td>
                          <Table.Td>
                            <BandBadge band={c.riskBand} score={c.riskScore} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                {items.length === 0 && (
                  <Center p="md">
                    <Text c="dimmed">{t('common.empty')}</Text>
                  </Center>
                )}
                {customers.hasNextPage && (
                  <Center mt="sm">
                    <Button variant="light" onClick={() => customers.fetchNextPage()} loading={customers.isFetchingNextPage} data-testid="customers-more">
                      {t('common.more')}
                    </Button>
                  </Center>
                )}
              </>
            );
          }}
        </QueryState>
      </Paper>
    </Stack>
  );
}
