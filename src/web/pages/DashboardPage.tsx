import { Alert, Anchor, Group, SimpleGrid, Stack, Table, TextInput, Title } from '@mantine/core';
import { LineChart } from '@mantine/charts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAging, useKpis, useTopOverdue, useTrends } from '../api/hooks';
import { AgingChart, KpiCard, Money, QueryState, Section } from '../components/widgets';
import { formatDate, formatMoney, formatNumber, todayIso } from '../format';

export function DashboardPage() {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useState(todayIso());
  const scope = { asOf };
  const kpis = useKpis(scope);
  const aging = useAging(scope);
  const trends = useTrends(scope);
  const top = useTopOverdue(scope);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('dashboard.title')}</Title>
        <TextInput type="date" label={t('common.asOf')} value={asOf} onChange={(e) => e.currentTarget.value && setAsOf(e.currentTarget.value)} w={180} data-testid="as-of" />
      </Group>
      <QueryState query={kpis} height={90}>
        {() => {
          const k = kpis.data!;
          return (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              <KpiCard label={t('kpi.outstanding')} value={formatMoney(k.outstanding, k.currency)} testId="kpi-outstanding" />
              <KpiCard
                label={t('kpi.overdue')}
                value={formatMoney(k.overdue, k.currency)}
                detail={k.overdueShare !== null ? t('kpi.overdueShare', { share: formatNumber(k.overdueShare) }) : undefined}
                color="red.7"
                testId="kpi-overdue"
              />
              <KpiCard
                label={t('kpi.dso')}
                value={k.dso.countback === null ? '—' : t('common.daysValue', { value: formatNumber(k.dso.countback) })}
                detail={t('kpi.dsoDetail', { simple: formatNumber(k.dso.simple), bpdso: formatNumber(k.dso.bestPossible), add: formatNumber(k.dso.averageDaysDelinquent) })}
                testId="kpi-dso"
              />
              <KpiCard label={t('kpi.cei')} value={k.cei === null ? '—' : `${formatNumber(k.cei)} %`} detail={t('kpi.ceiDetail')} testId="kpi-cei" />
            </SimpleGrid>
          );
        }}
      </QueryState>
      {aging.data && aging.data.unconvertedCurrencies.length > 0 && <Alert color="yellow">{t('dashboard.unconverted', { currencies: aging.data.unconvertedCurrencies.join(', ') })}</Alert>}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title={t('dashboard.aging')}>
          <QueryState query={aging} height={240}>
            {() => <AgingChart aging={aging.data!} testId="aging-chart" />}
          </QueryState>
        </Section>
        <Section title={t('dashboard.dsoTrend')}>
          <QueryState query={trends} height={240}>
            {() => (
              <div data-testid="dso-trend-chart">
                <LineChart
                  h={260}
                  data={trends.data!.points.map((p) => ({ date: formatDate(p.date), dsoCountback: p.dsoCountback, dsoSimple: p.dsoSimple }))}
                  dataKey="date"
                  series={[
                    { name: 'dsoCountback', label: t('chart.dsoCountback'), color: 'indigo.6' },
                    { name: 'dsoSimple', label: t('chart.dsoSimple'), color: 'gray.5' },
                  ]}
                  withLegend
                  curveType="monotone"
                  valueFormatter={(v) => formatNumber(v)}
                />
              </div>
            )}
          </QueryState>
        </Section>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Section title={t('dashboard.balanceTrend')}>
          <QueryState query={trends} height={240}>
            {() => (
              <LineChart
                h={260}
                data={trends.data!.points.map((p) => ({ date: formatDate(p.date), outstanding: Number(p.outstanding), overdue: Number(p.overdue) }))}
                dataKey="date"
                series={[
                  { name: 'outstanding', label: t('chart.outstanding'), color: 'indigo.6' },
                  { name: 'overdue', label: t('chart.overdue'), color: 'red.6' },
                ]}
                withLegend
                valueFormatter={(v) => formatMoney(String(v), trends.data!.currency, { compact: true })}
              />
            )}
          </QueryState>
        </Section>
        <Section title={t('dashboard.topOverdue')}>
          <QueryState query={top}>
            {() => (
              <Table data-testid="top-overdue-table" striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('customers.name')}</Table.Th>
                    <Table.Th ta="right">{t('customers.overdue')}</Table.Th>
                    <Table.Th ta="right">{t('customers.outstanding')}</Table.Th>
                    <Table.Th ta="right">{t('dashboard.oldest')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {top.data!.items.map((c) => (
                    <Table.Tr key={c.customerId}>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${c.customerId}`} size="sm">
                          {c.legalName}
                        </Anchor>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Money amount={c.overdue} currency={top.data!.currency} overdue />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Money amount={c.outstanding} currency={top.data!.currency} />
                      </Table.Td>
                      <Table.Td ta="right">{t('common.days', { count: c.oldestDaysPastDue })}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </QueryState>
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
