import { Alert, Badge, Card, Group, Loader, Paper, Skeleton, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { Aging } from '../api/types';
import { formatMoney, isPositive } from '../format';

export function KpiCard({ label, value, detail, testId, color }: { label: string; value: ReactNode; detail?: ReactNode; testId: string; color?: string }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} c={color} data-testid={testId} mt={4}>
        {value}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed" mt={4}>
          {detail}
        </Text>
      )}
    </Card>
  );
}

export function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{title}</Title>
        {right}
      </Group>
      {children}
    </Paper>
  );
}

export function Money({ amount, currency, overdue }: { amount: string; currency: string; overdue?: boolean }) {
  return (
    <Text span size="sm" c={overdue && isPositive(amount) ? 'red.7' : undefined} fw={overdue && isPositive(amount) ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>
      {formatMoney(amount, currency)}
    </Text>
  );
}

export function QueryState({ query, children, height = 120 }: { query: { isPending: boolean; isError: boolean; error: unknown }; children: () => ReactNode; height?: number }) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton h={height} />;
  if (query.isError) {
    return (
      <Alert color="red" title={t('common.error')}>
        {query.error instanceof ApiError ? query.error.message : String(query.error)}
      </Alert>
    );
  }
  return <>{children()}</>;
}

export function LoadingLine() {
  return <Loader size="sm" />;
}

export function bucketLabel(t: (k: string, o?: Record<string, unknown>) => string, b: { key: string; fromDays: number | null; toDays: number | null }) {
  if (b.key === 'not_due') return t('aging.not_due');
  if (b.toDays === null) return t('aging.over', { from: (b.fromDays ?? 1) - 1 });
  return t('aging.range', { from: b.fromDays, to: b.toDays });
}

const BUCKET_COLORS = ['teal.6', 'yellow.5', 'orange.5', 'orange.7', 'red.7', 'red.9', 'grape.8'];

export function AgingChart({ aging, testId }: { aging: Aging; testId?: string }) {
  const { t } = useTranslation();
  const data = aging.buckets.map((b, i) => ({ bucket: bucketLabel(t, b), amount: Number(b.amount), color: BUCKET_COLORS[Math.min(i, BUCKET_COLORS.length - 1)] }));
  return (
    <div data-testid={testId}>
      <BarChart
        h={240}
        data={data}
        dataKey="bucket"
        series={[{ name: 'amount', label: t('chart.outstanding'), color: 'indigo.6' }]}
        getBarColor={(_value, entry) => (entry as { color?: string }).color ?? 'indigo.6'}
        valueFormatter={(v) => formatMoney(String(v), aging.currency, { compact: true })}
        withTooltip
      />
      <Group justify="space-between" mt="xs">
        <Text size="sm" c="dimmed">
          {t('aging.credits')}: {formatMoney(aging.credits, aging.currency)}
        </Text>
        <Text size="sm" fw={600}>
          {t('aging.total')}: {formatMoney(aging.total, aging.currency)}
        </Text>
      </Group>
    </div>
  );
}

const BAND_COLORS = { A: 'teal', B: 'green', C: 'yellow', D: 'orange', E: 'red' } as const;

export function BandBadge({ band, score }: { band: keyof typeof BAND_COLORS | null; score?: number | null }) {
  if (!band) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Badge color={BAND_COLORS[band]} variant="filled" data-testid="risk-band">
      {band}
      {score !== undefined && score !== null ? ` · ${score}` : ''}
    </Badge>
  );
}
