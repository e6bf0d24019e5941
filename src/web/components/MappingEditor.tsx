import { Alert, Button, Group, NativeSelect, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';

type Fields = { entities: { entity: string; fields: { name: string; required: boolean }[] }[] };
export type SheetColumns = { entity?: string; headers: string[]; mapping: Record<string, string> };

/**
 * The columns of a spreadsheet mapped to fields by hand: one choice per field among the file's
 * headers, a dry run or an import with that mapping, and the mapping saved as a profile for the
 * next files of the same source.
 */
export function MappingEditor(props: { sheet: SheetColumns; isBusy: boolean; onRun: (entity: string, mapping: Record<string, string>, isDryRun: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fields = useQuery({ queryKey: ['spreadsheet-fields'], queryFn: () => api<Fields>('/api/v1/imports/spreadsheet-fields') });
  const [entity, setEntity] = useState(props.sheet.entity ?? 'invoices');
  const [mapping, setMapping] = useState<Record<string, string>>(props.sheet.mapping);
  const [profileName, setProfileName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const entityFields = fields.data?.entities.find((e) => e.entity === entity)?.fields ?? [];
  const chosen = Object.fromEntries(Object.entries(mapping).filter(([name, header]) => header && entityFields.some((f) => f.name === name)));

  const save = async () => {
    await api(`/api/v1/mapping-profiles/${encodeURIComponent(profileName)}`, { method: 'PUT', body: { entity, mapping: chosen } });
    setSaved(profileName);
    await queryClient.invalidateQueries({ queryKey: ['mapping-profiles'] });
  };

  return (
    <Paper withBorder p="md" radius="md" mt="md" data-testid="mapping-editor">
      <Title order={5}>{t('imports.mapping.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('imports.mapping.help')}
      </Text>
      <NativeSelect
        label={t('imports.mapping.entity')}
        value={entity}
        onChange={(e) => setEntity(e.currentTarget.value)}
        data={(fields.data?.entities ?? []).map((e) => ({ value: e.entity, label: t(`imports.entities.${e.entity}`) }))}
        w={320}
        mb="sm"
        data-testid="mapping-entity"
      />
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          {entityFields.map((f) => (
            <Table.Tr key={f.name}>
              <Table.Td w={280}>
                <Text size="sm">
                  {t(`imports.fields.${f.name}`, { defaultValue: f.name })}
                  {f.required ? ' *' : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <NativeSelect
                  size="xs"
                  value={mapping[f.name] ?? ''}
                  onChange={(e) => setMapping({ ...mapping, [f.name]: e.currentTarget.value })}
                  data={[{ value: '', label: t('imports.mapping.ignore') }, ...props.sheet.headers.map((h) => ({ value: h, label: h }))]}
                  data-testid={`map-${f.name}`}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="md">
        <Button variant="light" loading={props.isBusy} onClick={() => props.onRun(entity, chosen, true)} data-testid="mapping-preview">
          {t('imports.mapping.preview')}
        </Button>
        <Button loading={props.isBusy} onClick={() => props.onRun(entity, chosen, false)} data-testid="mapping-run">
          {t('imports.mapping.run')}
        </Button>
      </Group>
      <Group mt="md" align="end">
        <TextInput label={t('imports.mapping.profileName')} value={profileName} onChange={(e) => setProfileName(e.currentTarget.value)} w={260} data-testid="profile-name" />
        <Button variant="default" disabled={!profileName.trim()} onClick={save} data-testid="profile-save">
          {t('imports.mapping.save')}
        </Button>
      </Group>
      {saved && (
        <Alert color="teal" mt="sm" data-testid="profile-saved">
          {t('imports.mapping.saved', { name: saved })}
        </Alert>
      )}
    </Paper>
  );
}
