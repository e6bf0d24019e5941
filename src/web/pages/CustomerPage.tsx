import { Anchor, Badge, Button, Grid, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAging, useCustomer, useInvoices, useKpis, usePayments, useScores } from '../api/hooks';
import { InvoiceTable } from '../components/InvoiceTable';
import { AgingChart, BandBadge, KpiCard, Money, QueryState, Section } from '../components/widgets';
import { CompanyPanel } from '../components/CompanyPanel';
import { CreditPanel } from '../components/CreditPanel';
import { PromisesPanel } from '../components/PromisesPanel';
import { LineChart } from '@mantine/charts';
import { List, RingProgress } from '@mantine/core';
import { formatDate, formatMoney, formatNumber } from '../format';
import { localizeReason } from '../../i18n/reasons';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xl">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ta="right">
        {children ?? '—'}
      </Text>
    </Group>
  );
}

export function CustomerPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const customer = useCustomer(id);
  const kpis = useKpis({ customerId: id });
  const aging = useAging({ customerId: id });
  const invoices = useInvoices({ customerId: id, status: 'open', sort: 'dueDate' });
  const payments = usePayments({ customerId: id });

  return (
    <QueryState query={customer} height={400}>
      {() => {
        const c = customer.data!;
        return (
          <Stack>
            <Anchor component={Link} to="/customers" size="sm">
              ← {t('customer.back')}
            </Anchor>
            <Group justify="space-between">
              <div>
                <Title order={2} data-testid="customer-name">
                  {c.legalName}
                </Title>
                <Group gap="xs" mt={4}>
                  <Text c="dimmed" size="sm" ff="monospace">
                    {c.externalRef}
                  </Text>
                  {c.segment && <Badge variant="light">{c.segment}</Badge>}
                  {c.tags.map((tag) => (
                    <Badge key={tag} variant="outline" color="gray">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              </div>
            </Group>
            <QueryState query={kpis} height={90}>
              {() => {
                const k = kpis.data!;
                return (
                  <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }}>
                    <KpiCard label={t('kpi.outstanding')} value={formatMoney(k.outstanding, k.currency)} testId="customer-outstanding" />
                    <KpiCard label={t('kpi.overdue')} value={formatMoney(k.overdue, k.currency)} color="red.7" testId="customer-overdue" />
                    <KpiCard label={t('kpi.dso')} value={k.dso.countback === null ? '—' : t('common.daysValue', { value: formatNumber(k.dso.countback) })} testId="customer-dso" />
                    <KpiCard label={t('kpi.daysLate')} value={k.daysToPay.weightedLate === null ? '—' : t('common.daysValue', { value: formatNumber(k.daysToPay.weightedLate) })} testId="customer-days-late" />
                    <KpiCard
                      label={t('kpi.averageDaysToPay')}
                      value={k.daysToPay.average === null ? '—' : t('common.daysValue', { value: formatNumber(k.daysToPay.average) })}
                      detail={k.daysToPay.weighted === null ? undefined : `${t('kpi.daysToPay')} : ${t('common.daysValue', { value: formatNumber(k.daysToPay.weighted) })}`}
                      testId="customer-days-to-pay"
                    />
                  </SimpleGrid>
                );
              }}
            </QueryState>
            <Grid>
              <Grid.Col span={{ base: 12, md: 5 }}>
                <Section title={t('customer.identity')}>
                  <Stack gap={6}>
                    <Field label={t('customer.siren')}>{c.siren}</Field>
                    <Field label={t('customer.siret')}>{c.siret}</Field>
                    <Field label={t('customer.vat')}>{c.vatNumber}</Field>
                    {c.lei && <Field label={t('customer.lei')}>{c.lei}</Field>}
                    <Field label={t('customer.address')}>
                      {[c.addressLine1, c.addressLine2, [c.postalCode, c.city].filter(Boolean).join(' '), c.country].filter(Boolean).join(', ')}
                    </Field>
                    <Field label={t('customer.activity')}>{c.activityCode}</Field>
                    <Field label={t('customer.terms')}>{c.paymentTermsDays === null ? null : t('customer.termsValue', { days: c.paymentTermsDays })}</Field>
                    <Field label={t('customer.collector')}>{c.collector?.name}</Field>
                    {c.parent && (
                      <Field label={t('customer.parent')}>
                        <Anchor component={Link} to={`/customers/${c.parent.id}`} size="sm">
                          {c.parent.legalName}
                        </Anchor>
                      </Field>
                    )}
                    {c.subsidiaries.length > 0 && (
                      <Field label={t('customer.subsidiaries')}>
                        {c.subsidiaries.map((s) => (
                          <Anchor key={s.id} component={Link} to={`/customers/${s.id}`} size="sm" display="block">
                            {s.legalName}
                          </Anchor>
                        ))}
                      </Field>
                    )}
                  </Stack>
                </Section>
                <Section title={t('customer.contacts')}>
                  {c.contacts.length === 0 ? (
                    <Text c="dimmed" size="sm">
                      {t('customer.noContacts')}
                    </Text>
                  ) : (
                    <Stack gap={4}>
                      {c.contacts.map((contact) => (
                        <Text key={contact.id} size="sm">
                          <b>{contact.name}</b> {contact.role && `· ${contact.role}`} {contact.email && `· ${contact.email}`} {contact.phone && `· ${contact.phone}`}
                        </Text>
                      ))}
                    </Stack>
                  )}
                </Section>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 7 }}>
                <RiskPanel customerId={id} />
                <CreditPanel customerId={id} />
                <PromisesPanel customerId={id} />
                <CompanyPanel customerId={id} currency={kpis.data?.currency ?? 'EUR'} />
                <Section title={t('customer.aging')}>
                  <QueryState query={aging} height={240}>
                    {() => <AgingChart aging={aging.data!} testId="customer-aging-chart" />}
                  </QueryState>
                </Section>
              </Grid.Col>
            </Grid>
            <Section title={t('customer.openInvoices')}>
              <QueryState query={invoices}>
                {() => (
                  <InvoiceTable
                    invoices={invoices.data!.pages.flatMap((p) => p.items)}
                    testId="customer-open-invoices"
                    hasMore={invoices.hasNextPage}
                    onMore={() => invoices.fetchNextPage()}
                    isFetching={invoices.isFetchingNextPage}
                  />
                )}
              </QueryState>
            </Section>
            <Section title={t('customer.payments')}>
              <QueryState query={payments}>
                {() => {
                  const items = payments.data!.pages.flatMap((p) => p.items);
                  return (
                    <>
                      <Table striped data-testid="customer-payments">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('payments.date')}</Table.Th>
                            <Table.Th>{t('payments.reference')}</Table.Th>
                            <Table.Th>{t('payments.method')}</Table.Th>
                            <Table.Th ta="right">{t('payments.amount')}</Table.Th>
                            <Table.Th ta="right">{t('payments.unapplied')}</Table.Th>
                            <Table.Th>{t('payments.invoices')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {items.map((p) => (
                            <Table.Tr key={p.id}>
                              <Table.Td>{formatDate(p.receivedDate)}</Table.Td>
                              <Table.Td ff="monospace">{p.reference}</Table.Td>
                              <Table.Td>{p.method ?? '—'}</Table.Td>
                              <Table.Td ta="right">
                                <Money amount={p.amount} currency={p.currency} />
                              </Table.Td>
                              <Table.Td ta="right">{p.unappliedAmount === '0.00' ? '—' : <Money amount={p.unappliedAmount} currency={p.currency} />}</Table.Td>
                              <Table.Td>
                                <Text size="xs" ff="monospace">
                                  {p.allocations.map((a) => a.invoiceNumber).join(', ')}
                                </Text>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                      {payments.hasNextPage && (
                        <Button variant="light" mt="sm" onClick={() => payments.fetchNextPage()} loading={payments.isFetchingNextPage}>
                          {t('common.more')}
                        </Button>
                      )}
                    </>
                  );
                }}
              </QueryState>
            </Section>
          </Stack>
        );
      }}
    </QueryState>
  );
}

/** Score gauge, its reasons and its history. */
function RiskPanel({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const scores = useScores(customerId);
  const latest = scores.data?.items[0];
  const behaviour = scores.data?.behaviour;
  const colors = { A: 'teal', B: 'green', C: 'yellow', D: 'orange', E: 'red' } as const;
  return (
    <Section title={t('customer.risk')}>
      <QueryState query={scores} height={160}>
        {() =>
          !latest ? (
            <Text c="dimmed" size="sm">
              {t('customer.noScore')}
            </Text>
          ) : (
            <Group align="flex-start" wrap="nowrap" data-testid="risk-panel">
              <RingProgress
                size={120}
                thickness={12}
                sections={[{ value: latest.score, color: colors[latest.band] }]}
                label={
                  <Text ta="center" fw={700} size="xl">
                    {latest.score}
                  </Text>
                }
              />
              <Stack gap={4} style={{ flex: 1 }}>
                <Group gap="xs">
                  <BandBadge band={latest.band} />
                  <Text size="xs" c="dimmed">
                    {t('customer.scoredOn', { date: formatDate(latest.asOf) })} · {latest.policyVersion}
                  </Text>
                </Group>
                <List size="sm" data-testid="risk-reasons">
                  {latest.reasons.map((r) => (
                    <List.Item key={r}>{localizeReason(r, i18n.language)}</List.Item>
                  ))}
                </List>
                {behaviour && (
                  <Text size="xs" c="dimmed" data-testid="risk-behaviour">
                    {t('customer.behaviour', {
                      late3: formatNumber(behaviour.weightedDaysLate3m),
                      late6: formatNumber(behaviour.weightedDaysLate6m),
                      late12: formatNumber(behaviour.weightedDaysLate12m),
                      shareLate: formatNumber(behaviour.shareLate === null ? null : behaviour.shareLate * 100, 0),
                      dso: formatNumber(behaviour.dso, 0),
                      disputed: formatNumber(behaviour.disputedShare == null ? null : behaviour.disputedShare * 100, 0),
                      partial: behaviour.partialPayments ?? 0,
                      broken: behaviour.brokenPromises ?? 0,
                    })}
                  </Text>
                )}
                {scores.data!.items.length > 1 && (
                  <LineChart
                    h={120}
                    data={[...scores.data!.items].reverse().map((s) => ({ date: formatDate(s.asOf), score: s.score }))}
                    dataKey="date"
                    series={[{ name: 'score', label: t('customer.risk'), color: 'indigo.6' }]}
                    yAxisProps={{ domain: [0, 100] }}
                  />
                )}
              </Stack>
            </Group>
          )
        }
      </QueryState>
    </Section>
  );
}
