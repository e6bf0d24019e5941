import { Badge, Button, Group, Stack, Table, Text, Timeline } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { useMe } from '../api/hooks';
import { formatDate, formatMoney, formatNumber } from '../format';
import { localizeReason } from '../../i18n/reasons';
import { QueryState, Section } from './widgets';

type LegalEvent = { id: string; kind: string; publishedOn: string; judgmentDate: string | null; title: string; details: { judgmentNature?: string | null; court?: string | null; judgmentDetails?: string | null; url?: string | null }; cancelled: boolean };
type Profile = {
  name: string; state: 'active' | 'ceased'; ceasedOn: string | null; legalFormCode: string | null; activityCode: string | null; createdOn: string | null; headcountBand: string | null; category: string | null;
  directors: { name: string; role: string | null }[]; finances: { year: string; revenue: string | null; netIncome: string | null }[];
};
type CompanyData = {
  siren: string | null; checkedAt: string | null; profiles: { provider: string; profile: Profile; fetchedAt: string }[]; legalEvents: LegalEvent[];
  legalStatus: { isKnown: boolean; procedure: string | null; openedOn: string | null; underPlan: boolean; isClosed: boolean; closedOn: string | null } | null;
  calls: { provider: string; status: string; error: string | null; calledAt: string }[];
};
type Rating = { provider: string; value: string; score: number; band: string; recommendedLimit: string | null; ratedOn: string };
type Statement = { fiscalYearEnd: string; currency: string; ratios: Record<string, number | null>; altmanZ2: { score: number; zone: string } | null; conanHolder: { score: number; zone: string } | null };

const CRITICAL = new Set(['opening_redressement', 'opening_liquidation', 'conversion_liquidation', 'closure_insufficient_assets', 'deregistered', 'plan_cession']);
const WARNING = new Set(['opening_sauvegarde', 'conciliation', 'retablissement_professionnel', 'plan_continuation', 'business_sold', 'closure']);

/** A refusal of the refresh in the reader's language: the server's English detail is never shown as is. */
function refreshError(e: unknown, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (e instanceof ApiError) {
    const problem = e.problem as { status?: number; errors?: { field: string }[] };
    if (problem.status === 502) return t('company.providerFailed', { providers: (problem.errors ?? []).map((i) => i.field).join(', ') || '—' });
    if (problem.status === 400) return t('company.noSiren');
    if (problem.status === 409) return t('company.noProvider');
  }
  return t('common.error');
}

/** What the registers say about the customer's company: identity, legal status and events, bureau ratings, accounts. */
export function CompanyPanel({ customerId, currency }: { customerId: string; currency: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const role = useMe().data?.role;
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const company = useQuery({ queryKey: ['company', customerId], queryFn: () => api<CompanyData>(`/api/v1/customers/${customerId}/company`) });
  const ratings = useQuery({ queryKey: ['ratings', customerId], queryFn: () => api<{ items: Rating[] }>(`/api/v1/customers/${customerId}/ratings`) });
  const statements = useQuery({ queryKey: ['statements', customerId], queryFn: () => api<{ items: Statement[] }>(`/api/v1/customers/${customerId}/financial-statements`) });
  const refresh = async () => {
    setRefreshing(true);
    setError(null);
    try {
      const result = await api<{ calls: { provider: string; status: string }[] }>(`/api/v1/customers/${customerId}/company/refresh`, { method: 'POST' });
      const failed = result.calls.filter((c) => c.status === 'error').map((c) => c.provider);
      if (failed.length > 0) setError(t('company.providerFailed', { providers: failed.join(', ') }));
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(refreshError(e, t));
    } finally {
      setRefreshing(false);
    }
  };
  const canRefresh = role === 'admin' || role === 'credit_manager';
  return (
    <Section
      title={t('company.title')}
      right={
        canRefresh && company.data?.siren ? (
          <Button size="xs" variant="light" onClick={refresh} loading={refreshing} data-testid="company-refresh">
            {t('company.refresh')}
          </Button>
        ) : undefined
      }
    >
      <QueryState query={company} height={120}>
        {() => {
          const c = company.data!;
          if (!c.siren) return <Text c="dimmed" size="sm">{t('company.noSiren')}</Text>;
          const profile = c.profiles[0]?.profile;
          const status = c.legalStatus;
          return (
            <Stack gap="sm" data-testid="company-panel">
              {error && <Text c="red" size="sm">{error}</Text>}
              <Group gap="xs">
                {!status?.isKnown ? (
                  <Badge color="gray" variant="light" data-testid="legal-status-unknown">{t('company.statusUnknown')}</Badge>
                ) : status.isClosed ? (
                  <Badge color="red">{t('company.closed', { date: formatDate(status.closedOn ?? '') })}</Badge>
                ) : status.procedure ? (
                  <Badge color="red">{t(`company.procedures.${status.procedure}`)} · {formatDate(status.openedOn ?? '')}{status.underPlan ? ` · ${t('company.underPlan')}` : ''}</Badge>
                ) : (
                  <Badge color="teal" variant="light" data-testid="legal-status-clear">{t('company.noProcedure')}</Badge>
                )}
                {profile && <Badge color={profile.state === 'ceased' ? 'red' : 'gray'} variant="light">{profile.state === 'ceased' ? t('company.ceased') : t('company.active')}</Badge>}
                <Text size="xs" c="dimmed">{c.checkedAt ? t('company.checkedAt', { date: formatDate(c.checkedAt) }) : t('company.neverChecked')}</Text>
              </Group>
              {profile && (
                <Text size="sm">
                  {[profile.legalFormCode && `${t('company.legalForm')} ${profile.legalFormCode}`, profile.activityCode && `NAF ${profile.activityCode}`, profile.createdOn && t('company.created', { date: formatDate(profile.createdOn) }), profile.category]
                    .filter(Boolean)
                    .join(' · ')}
                  {profile.finances[0] && (
                    <> · {t('company.turnover', { year: profile.finances[0].year, amount: profile.finances[0].revenue ? formatMoney(profile.finances[0].revenue, 'EUR') : '—' })}</>
                  )}
                </Text>
              )}
              {c.legalEvents.length > 0 && (
                <Timeline bulletSize={14} lineWidth={2} active={c.legalEvents.length} data-testid="legal-timeline">
                  {c.legalEvents.map((e) => (
                    <Timeline.Item key={e.id} color={e.cancelled ? 'gray' : CRITICAL.has(e.kind) ? 'red' : WARNING.has(e.kind) ? 'orange' : 'blue'} title={<Text size="sm" td={e.cancelled ? 'line-through' : undefined}>{localizeReason(e.title, i18n.language)}</Text>}>
                      <Text size="xs" c="dimmed">
                        {[e.details.judgmentNature, e.details.court, e.cancelled ? t('company.cancelled') : null].filter(Boolean).join(' · ')}
                      </Text>
                    </Timeline.Item>
                  ))}
                </Timeline>
              )}
            </Stack>
          );
        }}
      </QueryState>
      {ratings.data && ratings.data.items.length > 0 && (
        <Table mt="sm" data-testid="ratings">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('company.provider')}</Table.Th>
              <Table.Th>{t('company.rating')}</Table.Th>
              <Table.Th>{t('company.ourScale')}</Table.Th>
              <Table.Th ta="right">{t('company.recommended')}</Table.Th>
              <Table.Th>{t('company.ratedOn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ratings.data.items.map((r) => (
              <Table.Tr key={`${r.provider}-${r.ratedOn}`}>
                <Table.Td>{r.provider}</Table.Td>
                <Table.Td>{r.value}</Table.Td>
                <Table.Td>{r.score} ({r.band})</Table.Td>
                <Table.Td ta="right">{r.recommendedLimit ? formatMoney(r.recommendedLimit, currency) : '—'}</Table.Td>
                <Table.Td>{formatDate(r.ratedOn)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {statements.data && statements.data.items[0] && (
        <Text size="sm" mt="sm" data-testid="accounts">
          {t('company.accounts', { date: formatDate(statements.data.items[0].fiscalYearEnd) })}
          {statements.data.items[0].altmanZ2 && ` · Altman Z″ ${formatNumber(statements.data.items[0].altmanZ2.score)} (${t(`company.zones.${statements.data.items[0].altmanZ2.zone}`)})`}
          {statements.data.items[0].conanHolder && ` · Conan & Holder ${formatNumber(statements.data.items[0].conanHolder.score)}`}
          {statements.data.items[0].ratios.financialAutonomy !== null && ` · ${t('company.autonomy')} ${formatNumber((statements.data.items[0].ratios.financialAutonomy ?? 0) * 100)} %`}
        </Text>
      )}
    </Section>
  );
}
