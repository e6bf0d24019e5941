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
    /** SHA-256 of the session token, when the caller is a logged-in person. */
    sessionTokenHash: string | null;
  }
  interface FastifyContextConfig {
    /** The permission a caller needs; `public` routes need none. */
    permission?: Permission | 'public' | 'authenticated';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller (session cookie for people, Bearer API key for machines) and enforces
 * the route's permission. API routes that declare no permission are refused: deny by default.
 * A cookie is sent by the browser whoever wrote the page, so a cookie-authenticated request that
 * changes anything must come from the app's own origin (CSRF); an API key is never sent on its own.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('actor', null);
  app.decorateRequest('user', null);
  app.decorateRequest('sessionTokenHash', null);
  const publicOrigin = ctx.publicUrl ? new URL(ctx.publicUrl).origin : undefined;
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    const permission = request.routeOptions.config?.permission;
    const bearer = bearerOf(request);
    const sessionToken = bearer ? undefined : request.cookies[SESSION_COOKIE];
    if (!SAFE_METHODS.has(request.method)) {
      // Public routes (login) have no session to abuse, but a foreign page must not log a victim into
      // the attacker's account either: refuse them only when the browser says the request is cross-site.
      const isRequired = permission !== 'public' && sessionToken !== undefined;
      if (!bearer && !isSameOrigin(request, publicOrigin, isRequired)) {
        throw new AppError('forbidden', 'cross-site request refused: a change made with a session cookie must come from the Encours web app (Origin or Sec-Fetch-Site)');
      }
    }
    if (permission === 'public') return;
    const auth = await authenticate({ db: ctx.db, sessionToken, bearer, now: ctx.clock.now() });
    if (!auth) throw new AppError('unauthenticated', 'log in or send an API key (Authorization: Bearer …)');
    request.actor = auth.actor;
    request.user = auth.user ?? null;
    request.sessionTokenHash = auth.sessionTokenHash ?? null;
    if (permission === 'authenticated') return;
    if (!permission || !isAllowed(auth.actor.role, permission)) {
      throw new AppError('forbidden', `the ${auth.actor.role} role may not ${request.method} ${request.routeOptions.url ?? request.url}`);
    }
  });
}

/** The credentials of `Authorization: Bearer …`; the scheme is case-insensitive (RFC 9110 §11.1). */
function bearerOf(request: FastifyRequest): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Whether the browser sent this request from the app's own origin. Sec-Fetch-Site (sent by current
 * browsers, not settable by scripts) decides when present; otherwise Origin must name this host (or
 * ENCOURS_PUBLIC_URL). With neither header, `isRequired` decides: a cookie-authenticated change needs
 * positive proof, a login from a non-browser client does not.
 */
function isSameOrigin(request: FastifyRequest, publicOrigin: string | undefined, isRequired: boolean): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined) return !isRequired;
  if (origin === publicOrigin) return true;
  try {
    // The Host header may carry a default port (localhost:80) that the Origin leaves out.
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${request.host}`).host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}

/** The authenticated actor of a request that passed the auth hook. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'not authenticated');
  return request.actor;
}
