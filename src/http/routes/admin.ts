import { z } from 'zod';
import { notFound } from '../../app/app-error';
import { createApiKey } from '../../app/auth/create-api-key';
import { createUser } from '../../app/auth/create-user';
import { resetUserPassword } from '../../app/auth/reset-user-password';
import { revokeUserSessions } from '../../app/auth/revoke-user-sessions';
import { setUserDisabled } from '../../app/auth/set-user-disabled';
import { setExchangeRates } from '../../app/organisations/set-exchange-rates';
import { IsoDate, Problem, Uuid } from '../../contract/common';
import { ROLES } from '../../domain/receivables/records';
import { listAudit } from '../../infra/db/repos/audit-repo';
import { listApiKeys, listUsers, revokeApiKey } from '../../infra/db/repos/identity-repo';
import type { Api } from '../api';
import { actorOf } from '../plugins/auth';
import { recordAudit } from '../../infra/db/repos/audit-repo';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const Role = z.enum(ROLES);
const User = z.object({ id: Uuid, email: z.string(), name: z.string(), role: Role, locale: z.enum(['fr', 'en']).nullable(), isDisabled: z.boolean(), createdAt: z.string() });
const ApiKey = z.object({ id: Uuid, name: z.string(), prefix: z.string(), role: Role, createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });

export function adminRoutes(api: Api) {
  const { db } = api.ctx;

  api.get(
    '/api/v1/users',
    { config: { permission: 'organisation:admin' }, schema: { tags: ['admin'], summary: 'Users of the organisation', response: { 200: z.object({ items: z.array(User) }), ...errors } } },
    async (request) => ({
      items: (await listUsers(db, actorOf(request).organisationId)).map(userOut),
    }),
  );

  api.post(
    '/api/v1/users',
    {
      config: { permission: 'organisation:admin' },
      schema: {
        tags: ['admin'],
        summary: 'Add a user (password hashed with argon2id)',
        body: z.object({ email: z.email().max(300), name: z.string().min(1).max(200), role: Role, password: z.string().max(500), locale: z.enum(['fr', 'en']).nullish() }),
        response: { 201: User, ...errors },
      },
    },
    async (request, reply) => {
      const u = await createUser({ db, actor: actorOf(request), ...request.body });
      return reply.status(201).send(userOut(u));
    },
  );

  const userOut = (u: { id: string; email: string; name: string; role: (typeof ROLES)[number]; locale: 'fr' | 'en' | null; disabled_at: Date | null; created_at: Date }) => ({
    id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale, isDisabled: u.disabled_at !== null, createdAt: u.created_at.toISOString(),
  });

  for (const [action, isDisabled] of [['disable', true], ['enable', false]] as const) {
    api.post(
      `/api/v1/users/:id/${action}`,
      {
        config: { permission: 'organisation:admin' },
        schema: {
          tags: ['admin'],
          summary: isDisabled ? 'Disable a user: no more logins, every session ends at once' : 'Re-enable a disabled user',
          params: z.object({ id: Uuid }),
          response: { 200: User, ...errors },
        },
      },
      async (request) => userOut(await setUserDisabled({ db, actor: actorOf(request), userId: request.params.id, isDisabled, now: api.ctx.clock.now() })),
    );
  }

  api.put(
    '/api/v1/users/:id/password',
    {
      config: { permission: 'organisation:admin' },
      schema: {
        tags: ['admin'],
        summary: "Set a new password for a user (the password policy applies); the user's sessions end",
        params: z.object({ id: Uuid }),
        body: z.object({ password: z.string().max(500) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await resetUserPassword({ db, actor: actorOf(request), userId: request.params.id, password: request.body.password, now: api.ctx.clock.now() });
      return reply.status(204).send(null);
    },
  );

  api.delete(
    '/api/v1/users/:id/sessions',
    {
      config: { permission: 'organisation:admin' },
      schema: { tags: ['admin'], summary: 'Log a user out everywhere', params: z.object({ id: Uuid }), response: { 200: z.object({ revoked: z.number() }), ...errors } },
    },
    async (request) => ({ revoked: await revokeUserSessions({ db, actor: actorOf(request), userId: request.params.id }) }),
  );

  const keyOut = (k: Awaited<ReturnType<typeof listApiKeys>>[number]) => ({
    id: k.id, name: k.name, prefix: k.prefix, role: k.role, createdAt: k.created_at.toISOString(),
    lastUsedAt: k.last_used_at?.toISOString() ?? null, revokedAt: k.revoked_at?.toISOString() ?? null,
  });

  api.get(
    '/api/v1/api-keys',
    { config: { permission: 'organisation:admin' }, schema: { tags: ['admin'], summary: 'API keys (never their secrets)', response: { 200: z.object({ items: z.array(ApiKey) }), ...errors } } },
    async (request) => ({ items: (await listApiKeys(db, actorOf(request).organisationId)).map(keyOut) }),
  );

  api.post(
    '/api/v1/api-keys',
    {
      config: { permission: 'organisation:admin' },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key; the secret is shown once',
        body: z.object({ name: z.string().min(1).max(100), role: Role }),
        response: { 201: ApiKey.extend({ secret: z.string() }), ...errors },
      },
    },
    async (request, reply) => {
      const { key, secret } = await createApiKey({ db, actor: actorOf(request), ...request.body });
      return reply.status(201).send({ ...keyOut(key), secret });
    },
  );

  api.delete(
    '/api/v1/api-keys/:id',
    { config: { permission: 'organisation:admin' }, schema: { tags: ['admin'], summary: 'Revoke an API key', params: z.object({ id: Uuid }), response: { 204: z.null(), 404: Problem } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await db.transaction(async (tx) => {
        if (!(await revokeApiKey(tx, actor.organisationId, request.params.id))) throw notFound('API key');
        await recordAudit(tx, actor, { action: 'revoke', entity: 'api_key', entityId: request.params.id });
      });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['admin'],
        summary: 'Audit log: who changed what, when, before and after',
        querystring: z.object({ entity: z.string().max(50).optional(), entityId: Uuid.optional(), limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.coerce.number().int().optional() }),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.number(), actorType: z.string(), actorId: z.string().nullable(), action: z.string(), entity: z.string(), entityId: z.string().nullable(), before: z.unknown(), after: z.unknown(), at: z.string() })),
            nextCursor: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await listAudit(db, actorOf(request).organisationId, { entity: q.entity, entityId: q.entityId, limit: q.limit, beforeId: q.cursor });
      return {
        items: rows.map((r) => ({ id: r.id, actorType: r.actor_type, actorId: r.actor_id, action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after, at: r.at.toISOString() })),
        nextCursor: rows.length === q.limit ? String(rows[rows.length - 1].id) : null,
      };
    },
  );

  api.put(
    '/api/v1/exchange-rates',
    {
      config: { permission: 'ledger:write' },
      schema: {
        tags: ['admin'],
        summary: 'Store exchange rates: units of the organisation currency for one unit of `currency`, valid from `date`',
        body: z.object({ items: z.array(z.object({ currency: z.string().length(3), date: IsoDate, rate: z.string().max(30) })).min(1).max(10_000) }),
        response: { 200: z.object({ stored: z.number() }), ...errors },
      },
    },
    async (request) => ({ stored: await setExchangeRates({ db, actor: actorOf(request), rates: request.body.items }) }),
  );
}

