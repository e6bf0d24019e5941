import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, setupTestApp } from '../support/test-app';

/**
 * Every route of the OpenAPI document gets generated hostile values (NUL bytes, impossible dates,
 * huge numbers, wrong types, prototype keys…) in its body, query and path: the answer is a 4xx
 * with a reason or a success, never a 5xx.
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  format?: string;
  additionalProperties?: Schema | boolean;
  minItems?: number;
};
type Operation = { parameters?: { in: string; name: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } };

const HOSTILE_STRINGS = [
  '\u0000', 'abc\u0000def', '0000-01-01', '0001-01-01', '9999-12-31', '2026-02-30', '1899-12-31', '2200-01-01',
  '1e309', '-1e309', 'NaN', 'Infinity', '-0', '99999999999999999999999.99', '90071992547409.91', '-90071992547409.91', '12.345',
  '__proto__', 'constructor', "'; DROP TABLE customers; --", '=HYPERLINK("http://127.0.0.1")', ' '.repeat(10), '', 'é'.repeat(300),
  '\uD800', '😀', '2026-12-03T25:00:00Z', '00000000-0000-0000-0000-000000000000', 'eyJ4Ijp7fX0', 'WzEsIngiXQ',
];
const HOSTILE_NUMBERS = [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 101, 1e21];

function valueOf(schema: Schema | undefined, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_NUMBERS), fc.constantFrom(null, true, [], {}, { __proto__: 1 } as unknown));
  if (!schema || depth > 6) return hostile;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueOf(s, ids, depth + 1)));
  if (schema.enum) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: hostile });
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'string'];
  const options = types.map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'object': {
        const properties = Object.entries(schema.properties ?? {});
        const record = fc.record(Object.fromEntries(properties.map(([name, s]) => [name, valueOf(s, ids, depth + 1)])), { requiredKeys: (schema.required ?? []).filter((k) => schema.properties?.[k]) });
        return typeof schema.additionalProperties === 'object'
          ? fc.tuple(record, fc.dictionary(fc.constantFrom('__proto__', 'x', 'constructor', 'a\u0000'), valueOf(schema.additionalProperties, ids, depth + 1), { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }))
          : record;
      }
      case 'array':
        return fc.array(valueOf(schema.items, ids, depth + 1), { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: 3 });
      case 'number':
      case 'integer':
        return fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true }));
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        return schema.format === 'uuid' || schema.format === 'email'
          ? fc.oneof(fc.constantFrom(...ids), fc.constant(randomUUID()), fc.constantFrom(...HOSTILE_STRINGS), fc.emailAddress())
          : fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 20 }), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), fc.stringMatching(/^-?\d{1,16}(\.\d{1,3})?$/));
    }
  });
  return fc.oneof({ weight: 4, arbitrary: options.length === 1 ? options[0] : fc.oneof(...options) }, { weight: 1, arbitrary: hostile });
}

describe('hostile input on every route', () => {
  const t = setupTestApp();

  it('never answers 5xx to generated values in the body, query and path of any route', async () => {
    const customer = json(await t.app.inject({ method: 'POST', url: '/api/v1/bulk/customers', headers: t.org.as.admin, payload: { items: [{ externalRef: 'HOSTILE-1', legalName: 'Hostile SA' }] } }));
    expect(customer).toMatchObject({ inserted: 1 });
    const [{ id: customerId }] = json(await t.app.inject({ method: 'GET', url: '/api/v1/customers?search=HOSTILE-1', headers: t.org.as.admin })).items;
    const ids = [customerId as string];
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const failures: string[] = [];
    let requests = 0;
    for (const [path, operations] of Object.entries<Record<string, Operation>>(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path === '/api/v1/auth/logout' || (method === 'delete' && path === '/api/v1/api-keys/{id}')) continue; // would end the test's own credentials
        const parameters = operation.parameters ?? [];
        const body = operation.requestBody?.content['application/json']?.schema;
        const arbitrary = fc.record({
          path: fc.record(Object.fromEntries(parameters.filter((p) => p.in === 'path').map((p) => [p.name, valueOf(p.schema, ids, 0)]))),
          query: fc.record(Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, valueOf(p.schema, ids, 0)])), { requiredKeys: [] }),
          body: body ? valueOf(body, ids, 0) : fc.constant(undefined),
        });
        await fc.assert(
          fc.asyncProperty(arbitrary, async (input) => {
            const url = path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String((input.path as Record<string, unknown>)[name])));
            const query = new URLSearchParams(Object.entries(input.query as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
            const response = await t.app.inject({
              method: method.toUpperCase() as 'GET',
              url: `${url}${query ? `?${query}` : ''}`,
              headers: { ...t.org.as.admin, ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}) },
              ...(input.body !== undefined ? { payload: JSON.stringify(input.body) } : {}),
            });
            requests++;
            if (response.statusCode >= 500) failures.push(`${method.toUpperCase()} ${path} ${JSON.stringify(input).slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 200)}`);
            return response.statusCode < 500;
          }),
          { numRuns: 30, seed: 20261203, endOnFailure: true },
        ).catch(() => {});
      }
    }
    expect(requests).toBeGreaterThan(400);
    console.log(`hostile requests: ${requests}`);
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses NUL characters with the field that holds them', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/bulk/customers', headers: t.org.as.admin, payload: { items: [{ externalRef: 'NUL-1', legalName: 'Nul\u0000SA' }] } });
    expect(response.statusCode).toBe(400);
    expect(json(response).errors).toEqual([{ field: 'items.0.legalName', reason: 'contains a NUL character (\\u0000)' }]);
  });

  it('refuses a forged pagination cursor, a year-0000 date and a quotité above 100 % with their fields', async () => {
    const forged = Buffer.from(JSON.stringify([{ x: 1 }, 'not-a-uuid'])).toString('base64url');
    const cursor = await t.app.inject({ method: 'GET', url: `/api/v1/customers?cursor=${forged}`, headers: t.org.as.viewer });
    expect(cursor.statusCode).toBe(400);
    expect(json(cursor).errors).toEqual([{ field: 'cursor', reason: 'not a cursor returned by this API' }]);
    const typed = Buffer.from(JSON.stringify(['x', randomUUID()])).toString('base64url');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invoices?cursor=${typed}`, headers: t.org.as.viewer })).statusCode).toBe(400);

    const year0 = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/kpis?asOf=0000-01-01', headers: t.org.as.viewer });
    expect(year0.statusCode).toBe(400);
    const [{ id }] = json(await t.app.inject({ method: 'GET', url: '/api/v1/customers?search=HOSTILE-1', headers: t.org.as.admin })).items;
    const cover = await t.app.inject({ method: 'POST', url: `/api/v1/customers/${id}/limits`, headers: t.org.as.credit_manager, payload: { source: 'insurer', amount: '1000', coverPercent: '150' } });
    expect(cover.statusCode).toBe(400);
    expect(json(cover).errors[0]).toMatchObject({ field: 'coverPercent', reason: 'a quotité is above 0 and at most 100 %' });
  });

  it('refuses a mapping profile that is an array or names __proto__, and an upload whose name holds a NUL', async () => {
    const upload = (fileName: string, query: string) => {
      const form = new FormData();
      form.append('file', new Blob(['N° facture;Code client\r\nX;Y\r\n']), fileName);
      return t.app.inject({ method: 'POST', url: `/api/v1/imports/spreadsheets?${query}`, headers: t.org.as.admin, payload: form as never });
    };
    const array = await upload('a.csv', `entity=invoices&profile=${encodeURIComponent('["number"]')}`);
    expect(array.statusCode).toBe(400);
    expect(json(array).errors[0]).toMatchObject({ field: 'profile' });
    const proto = await upload('a.csv', `entity=invoices&profile=${encodeURIComponent('{"__proto__": {"number": "x"}}')}`);
    expect(proto.statusCode).toBe(400);
    expect(json(proto).errors[0]).toEqual({ field: 'profile', reason: '"__proto__" is not a field' });
    const saved = await t.app.inject({ method: 'PUT', url: '/api/v1/mapping-profiles/bad', headers: { ...t.org.as.admin, 'content-type': 'application/json' }, payload: '{"entity": "invoices", "mapping": {"constructor": "x"}}' });
    expect(saved.statusCode).toBe(400);
    const nul = await upload('a\u0000.csv', 'entity=invoices');
    expect(nul.statusCode).toBe(400);
    expect(json(nul).errors[0]).toEqual({ field: 'file', reason: 'the file name contains control characters' });
  });
});
