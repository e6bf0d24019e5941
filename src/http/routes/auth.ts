import { z } from 'zod';
import { changeOwnPassword } from '../../app/auth/change-own-password';
import { logIn, logOut } from '../../app/auth/sessions';
import { Problem } from '../../contract/common';
import { getOrganisation } from '../../infra/db/repos/identity-repo';
import type { UserRow } from '../../infra/db/repos/identity-repo';
import type { Db } from '../../infra/db/db';
import { AppError } from '../../app/app-error';
import { SESSION_COOKIE } from '../plugins/auth';
import type { Api } from '../api';

export const Me = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'credit_manager', 'collector', 'sales', 'viewer']),
  locale: z.enum(['fr', 'en']).nullable(),
  organisation: z.object({ id: z.uuid(), name: z.string(), baseCurrency: z.string() }),
});

async function meOf(db: Db, user: UserRow) {
  const org = await getOrganisation(db, user.organisation_id);
  if (!org) throw new AppError('unauthenticated', 'organisation not found');
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    locale: user.locale,
    organisation: { id: org.id, name: org.name, baseCurrency: org.base_currency },
  };
}

export function authRoutes(api: Api) {
  api.post(
    '/api/v1/auth/login',
    {
      config: { permission: 'public', rateLimit: { max: api.ctx.loginRateLimit ?? 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with e-mail and password (sets an httpOnly session cookie)',
        body: z.object({ email: z.string().min(3).max(300), password: z.string().min(1).max(500) }),
        response: { 200: z.object({ user: Me }) },
      },
    },
    async (request, reply) => {
      const { user, token, expiresAt } = await logIn({ db: api.ctx.db, ...request.body, now: api.ctx.clock.now() });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: api.ctx.secureCookies ?? false,
        path: '/',
        expires: expiresAt,
      });
      return { user: await meOf(api.ctx.db, user) };
    },
  );

  api.post(
    '/api/v1/auth/logout',
    { config: { permission: 'authenticated' }, schema: { tags: ['auth'], summary: 'End the session' } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logOut({ db: api.ctx.db, token });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  api.put(
    '/api/v1/auth/password',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (the current one is required); my other sessions end',
        body: z.object({ currentPassword: z.string().min(1).max(500), newPassword: z.string().max(500) }),
        response: { 204: z.null(), 400: Problem, 401: Problem, 403: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      if (!request.user || !request.actor) throw new AppError('forbidden', 'API keys have no password');
      await changeOwnPassword({
        db: api.ctx.db,
        actor: request.actor,
        user: request.user,
        sessionTokenHash: request.sessionTokenHash ?? undefined,
        ...request.body,
        now: api.ctx.clock.now(),
      });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/auth/me',
    { config: { permission: 'authenticated' }, schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: Me } } },
    async (request) => {
      if (!request.user) throw new AppError('forbidden', 'API keys have no user profile');
      return meOf(api.ctx.db, request.user);
    },
  );
}
