import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../app/actor';
import { AppError } from '../../app/app-error';
import { authenticate } from '../../app/auth/sessions';
import { isAllowed, type Permission } from '../../app/permissions';
import type { UserRow } from '../../infra/db/repos/identity-repo';
import type { AppContext } from '../context';

export const SESSION_COOKIE = 'encours_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    user: UserRow | null;
  }
  interface FastifyContextConfig {
    /** The permission a caller needs; `public` routes need none. */
    permission?: Permission | 'public' | 'authenticated';
  }
}

/**
 * Resolves the caller (session cookie for people, Bearer API key for machines) and enforces
 * the route's permission. API routes that declare no permission are refused: deny by default.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('actor', null);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const permission = request.routeOptions.config?.permission;
    if (permission === 'public') return;
    const auth = await authenticate({
      db: ctx.db,
      sessionToken: request.cookies[SESSION_COOKIE],
      bearer: bearerOf(request),
      now: ctx.clock.now(),
    });
    if (!auth) throw new AppError('unauthenticated', 'log in or send an API key (Authorization: Bearer …)');
    request.actor = auth.actor;
    request.user = auth.user ?? null;
    if (permission === 'authenticated') return;
    if (!permission || !isAllowed(auth.actor.role, permission)) {
      throw new AppError('forbidden', `the ${auth.actor.role} role may not ${request.method} ${request.routeOptions.url ?? request.url}`);
    }
  });
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** The authenticated actor of a request that passed the auth hook. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'not authenticated');
  return request.actor;
}
