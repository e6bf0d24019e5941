import { Alert, Anchor, Badge, Button, Checkbox, Code, FileInput, Group, List, NativeSelect, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import { MappingEditor, type SheetColumns } from '../components/MappingEditor';
import { formatDate, formatMoney, formatTime } from '../format';

type ImportRow = {
  id: string; kind: string; fileName: string | null; status: 'running' | 'succeeded' | 'failed'; report: Record<string, unknown>; createdAt: string;
  state: 'queued' | 'running' | 'stalled' | 'retrying' | 'succeeded' | 'failed'; resumesAt: string | null; attempts: number | null;
};
const STATE_COLORS: Record<ImportRow['state'], string> = { queued: 'blue', running: 'blue', stalled: 'orange', retrying: 'orange', succeeded: 'teal', failed: 'red' };
type UploadResult = { importId: string; report: Record<string, any> };

type Mapping = { entity: string; mapping: Record<string, string> };
type SavedProfile = { name: string; entity: string; mapping: Record<string, string> };

/** Which endpoint takes the file: PDFs and invoice XML are e-invoices, everything else a bank statement. */
async function endpointFor(file: File, isDryRun: boolean, mapping?: Mapping, profileName?: string): Promise<string> {
  const head = new TextDecoder().decode(await file.slice(0, 4096).arrayBuffer());
  const isStatementLike = /camt\.05|OFXHEADER|<OFX>|(^|\n):20:|^0[1-7]\d{5}/.test(head);
  if (/\.(csv|xlsx)$/i.test(file.name) && !isStatementLike) {
    // A dry run answers directly (nothing is stored, so there is no import to follow); an import runs in the background.
    const query = new URLSearchParams(isDryRun ? { dryRun: 'true' } : { async: 'true' });
    if (mapping) {
      query.set('entity', mapping.entity);
      query.set('profile', JSON.stringify(mapping.mapping));
    } else if (profileName) query.set('profileName', profileName);
    return `/api/v1/imports/spreadsheets?${query}`;
  }
  // A dry run of any kind of file runs the import and rolls it back: nothing is stored.
  const dryRun = isDryRun ? '?dryRun=true' : '';
  if (head.startsWith('%PDF-') || /<(?:[\w-]+:)?(CrossIndustryInvoice|Invoice|CreditNote)[\s>]/.test(head)) return `/api/v1/imports/einvoices${dryRun}`;
  return `/api/v1/imports/statements${dryRun}`;
}

export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [isUploading, setUploading] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [isDryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<{ percent: number | null; rows: number } | null>(null);
  // The last spreadsheet's headers and mapping, for the mapping editor.
  const [sheet, setSheet] = useState<SheetColumns | null>(null);
  const imports = useQuery({ queryKey: ['imports'], queryFn: () => api<{ items: ImportRow[] }>('/api/v1/imports') });
  // A saved column mapping for files of a known source (an ERP export whose headers are its own).
  const profiles = useQuery({ queryKey: ['mapping-profiles'], queryFn: () => api<{ items: SavedProfile[] }>('/api/v1/mapping-profiles') });
  const [profileName, setProfileName] = useState('');

  const upload = async (options: { isDryRun?: boolean; mapping?: Mapping } = {}) => {
    if (!file) return;
    setUploading(true);
    setResult(null);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const response = await fetch(await endpointFor(file, options.isDryRun ?? isDryRun, options.mapping, profileName || undefined), { method: 'POST', body: form, credentials: 'include' });
      const body = await response.json();
      if (!response.ok) throw new ApiError({ type: 'about:blank', title: response.statusText, status: response.status, ...body });
      if (response.status === 202) {
        // A spreadsheet runs in the background: follow it.
        for (;;) {
          const state = await api<{ status: string; progress: number; rowsDone: number | null; estimatedRows: number | null; report: Record<string, any> }>(`/api/v1/imports/${body.importId}`);
          if (state.status !== 'running') {
            setProgress(null);
            if (Array.isArray(state.report.headers)) setSheet({ entity: state.report.entity, headers: state.report.headers, mapping: state.report.columns?.mapping ?? {} });
            if (state.status === 'failed') {
              throw new ApiError({
                type: 'about:blank', title: t('imports.refused'), status: 400, detail: t('imports.refused'), importId: body.importId,
                errors: (state.report.errors ?? []).map((e: any) => ({ field: `${t('imports.line')} ${e.line}, ${e.column}`, reason: e.reason })),
              } as never);
            }
            setResult({ importId: body.importId, report: state.report });
            break;
          }
          setProgress({ percent: state.estimatedRows ? state.progress : null, rows: state.rowsDone ?? 0 });
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
      } else {
        if (Array.isArray(body.report?.headers)) setSheet({ entity: body.report.entity, headers: body.report.headers, mapping: body.report.columns?.mapping ?? {} });
        setResult(body);
      }
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ type: 'about:blank', title: String(e), status: 0 }));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('imports.title')}</Title>
      <Paper withBorder p="md" radius="md">
        <Text size="sm" c="dimmed" mb="sm">
          {t('imports.help')}
        </Text>
        <Group align="end">
          <FileInput
            label={t('imports.file')}
            placeholder={t('imports.choose')}
            value={file}
            onChange={(f) => {
              setFile(f);
              setSheet(null);
            }}
            w={420}
            data-testid="import-file"
            clearable
          />
          {(profiles.data?.items.length ?? 0) > 0 && (
            <NativeSelect
              label={t('imports.mapping.profile')}
              value={profileName}
              onChange={(e) => setProfileName(e.currentTarget.value)}
              data={[{ value: '', label: t('imports.mapping.automatic') }, ...(profiles.data?.items ?? []).map((p) => ({ value: p.name, label: `${p.name} (${t(`imports.entities.${p.entity}`)})` }))]}
              w={240}
              data-testid="import-profile"
            />
          )}
          <Checkbox label={t('imports.dryRun')} checked={isDryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} mb={8} />
          <Button onClick={() => upload()} disabled={!file} loading={isUploading} data-testid="import-submit">
            {t('imports.upload')}
          </Button>
        </Group>
        {isUploading && (
          <div data-testid="import-progress">
            <Progress value={progress?.percent ?? 100} animated mt="md" />
            {progress && (
              <Text size="xs" c="dimmed" mt={4}>
                {t('imports.progress', { rows: progress.rows })}
              </Text>
            )}
          </div>
        )}
        {error && (
          <Alert color="red" mt="md" title={error.message} data-testid="import-error">
            {(error.problem as { importId?: string }).importId && (
              <Anchor href={`/api/v1/imports/${(error.problem as { importId?: string }).importId}/errors.csv`} size="sm" mb="xs" display="block">
                {t('imports.errorReport')}
              </Anchor>
            )}
            <List size="sm">
              {(error.problem.errors ?? []).slice(0, 50).map((e, i) => (
                <List.Item key={i}>
                  <Code>{e.field}</Code> {e.reason}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {result && <ImportReport report={result.report} />}
        {sheet && file && (
          <MappingEditor key={`${file.name}:${sheet.headers.join('|')}`} sheet={sheet} isBusy={isUploading} onRun={(entity, mapping, dryRun) => upload({ isDryRun: dryRun, mapping: { entity, mapping } })} />
        )}
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={5} mb="sm">
          {t('imports.recent')}
        </Title>
        {imports.data && imports.data.items.length === 0 && <Text c="dimmed" data-testid="imports-empty">{t('imports.none')}</Text>}
        <Table striped hidden={!imports.data?.items.length}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.date')}</Table.Th>
              <Table.Th>{t('imports.file')}</Table.Th>
              <Table.Th>{t('imports.kind')}</Table.Th>
              <Table.Th>{t('imports.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(imports.data?.items ?? []).map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>{formatDate(row.createdAt)}</Table.Td>
                <Table.Td>{row.fileName}</Table.Td>
                <Table.Td>{t(`imports.kinds.${row.kind}`)}</Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLORS[row.state]}>{t(`imports.statuses.${row.state}`)}</Badge>
                  {row.resumesAt && (
                    <Text size="xs" c="dimmed" data-testid="import-resumes">
                      {t(row.state === 'stalled' ? 'imports.stalledAt' : 'imports.retryAt', { time: formatTime(row.resumesAt), attempts: row.attempts })}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}

function ImportReport({ report }: { report: Record<string, any> }) {
  const { t } = useTranslation();
  if (report.entity) {
    return (
      <Alert color="teal" mt="md" title={t(report.isDryRun ? 'imports.sheetPreview' : 'imports.sheetDone', { entity: t(`imports.entities.${report.entity}`) })} data-testid="import-report">
        <Text size="sm">{t('imports.sheetRows', { rows: report.rows, inserted: report.result.inserted, updated: report.result.updated, unchanged: report.result.unchanged })}</Text>
        <Text size="xs" c="dimmed">
          {Object.entries(report.columns.mapping as Record<string, string>).map(([field, header]) => `${header} → ${t(`imports.fields.${field}`, { defaultValue: field })}`).join(' · ')}
        </Text>
      </Alert>
    );
  }
  if (report.lines) {
    return (
      <Alert color={report.isDryRun ? 'blue' : 'teal'} mt="md" title={t(report.isDryRun ? 'imports.statementPreview' : 'imports.statementDone', { format: report.format })} data-testid="import-report">
        <Text size="sm">{t('imports.lines', { total: report.lines.total, new: report.lines.new, already: report.lines.alreadyImported })}</Text>
        <Text size="sm">{t('imports.matching', { applied: report.matching.applied, proposed: report.matching.proposed, unmatched: report.matching.unmatched })}</Text>
        {report.statements
          .filter((s: any) => s.balanceCheck && !s.balanceCheck.isConsistent)
          .map((s: any) => (
            <Text key={s.account} size="sm" c="red">
              {t('imports.balanceMismatch', { account: s.account, difference: s.balanceCheck.difference })}
            </Text>
          ))}
        {report.preview && report.preview.matches.length > 0 && (
          <Table mt="xs" data-testid="import-preview-matches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.preview.date')}</Table.Th>
                <Table.Th ta="right">{t('imports.preview.amount')}</Table.Th>
                <Table.Th>{t('imports.preview.customer')}</Table.Th>
                <Table.Th>{t('imports.preview.invoices')}</Table.Th>
                <Table.Th>{t('imports.preview.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.preview.matches.map((m: any) => (
                <Table.Tr key={m.lineNo}>
                  <Table.Td>{formatDate(m.bookingDate)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(m.amount, m.currency)}</Table.Td>
                  <Table.Td>{m.customer?.name ?? '—'}</Table.Td>
                  <Table.Td>{m.allocations.map((a: any) => `${a.invoiceNumber} (${formatMoney(a.amount, m.currency)})`).join(', ') || '—'}</Table.Td>
                  <Table.Td>{t(`imports.preview.${m.status}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Alert>
    );
  }
  return (
    <Alert color={report.isDryRun ? 'blue' : 'teal'} mt="md" title={t(report.isDryRun ? 'imports.invoicePreview' : 'imports.invoiceDone', { number: report.number })} data-testid="import-report">
      <Text size="sm">{t('imports.customer', { ref: report.customer?.externalRef })}</Text>
      {report.records && (
        <Text size="sm" data-testid="import-preview-records">
          {t(`imports.preview.customerAction.${report.records.customer.action}`, { name: report.records.customer.legalName })} ·{' '}
          {t(`imports.preview.invoiceAction.${report.records.invoice.action}`, {
            number: report.records.invoice.number,
            amount: formatMoney(report.records.invoice.totalInclTax, report.records.invoice.currency),
            due: formatDate(report.records.invoice.dueDate),
          })}
        </Text>
      )}
      {(report.warnings ?? []).map((w: string) => (
        <Text key={w} size="sm" c="orange">
          {w}
        </Text>
      ))}
    </Alert>
  );
}
