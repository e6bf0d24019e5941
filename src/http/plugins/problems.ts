import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type FieldIssue } from '../../app/app-error';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  data_dir_locked: 423,
  provider_unavailable: 502,
  rate_limited: 429,
};

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  423: 'Locked',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Provider unavailable',
};

/** Every error leaves as an RFC 9457 problem+json body with field-level details where there are any. */
export function registerProblemHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = 500;
    let detail: string | undefined;
    let errors: FieldIssue[] | undefined;
    let code = 'internal_error';
    if (error instanceof AppError) {
      status = STATUS[error.code];
      detail = error.message;
      errors = error.issues.length > 0 ? error.issues : undefined;
      code = error.code;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      status = 400;
      code = 'validation_failed';
      detail = `the request ${error.validationContext ?? 'input'} is invalid`;
      errors = error.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
        const index = error.validationContext === 'body' && path[0] === 'items' && /^\d+$/.test(path[1] ?? '') ? Number(path[1]) : undefined;
        return {
          ...(index !== undefined ? { index } : {}),
          field: (index !== undefined ? path.slice(2) : path).join('.') || '(root)',
          reason: v.message ?? 'invalid',
        };
      });
    } else if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response does not match its schema');
    } else if (isDatabaseDataError(error)) {
      // PostgreSQL refused a value (22xxx: out of range, malformed, NUL byte…): the request's fault.
      status = 400;
      code = 'validation_failed';
      detail = `a value was refused by the database: ${error.message}`;
    } else if (isDatabaseConstraintError(error)) {
      status = 409;
      code = 'conflict';
      detail = 'the change conflicts with stored data';
      request.log.warn({ err: error }, 'constraint violation');
    } else if (error.statusCode && error.statusCode < 500) {
      status = error.statusCode;
      detail = error.message;
      code = error.code ?? 'request_error';
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    reply
      .status(status)
      .type('application/problem+json')
      .send({
        type: `https://encours.dev/problems/${code}`,
        title: TITLES[status] ?? 'Error',
        status,
        ...(detail ? { detail } : {}),
        ...(errors ? { errors } : {}),
      });
  });

}

const sqlStateOf = (error: unknown) => (typeof error === 'object' && error && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '');
const isDatabaseDataError = (error: unknown) => /^22[0-9A-Z]{3}$/.test(sqlStateOf(error));
const isDatabaseConstraintError = (error: unknown) => /^23[0-9A-Z]{3}$/.test(sqlStateOf(error));

/**
 * NUL characters cannot be stored in PostgreSQL text and have no place in business data: any
 * string of a request (body, query, path) holding one is refused with its field before a handler runs.
 */
export function registerInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const issues: FieldIssue[] = [];
    for (const [part, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
      findNul(value, part === 'body' ? [] : [part], issues);
    }
    if (issues.length > 0) throw new AppError('validation_failed', 'the request holds NUL characters', issues.slice(0, 20));
  });
}

function findNul(value: unknown, path: string[], issues: FieldIssue[], depth = 0) {
  if (issues.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) issues.push({ field: path.join('.') || '(root)', reason: 'contains a NUL character (\\u0000)' });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => findNul(item, [...path, String(i)], issues, depth + 1));
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) issues.push({ field: [...path, key.replace(/\u0000/g, '\\u0000')].join('.'), reason: 'the name contains a NUL character' });
      findNul(item, [...path, key], issues, depth + 1);
    }
  }
}

/** Unknown routes: the web app for page URLs when it is served, problem+json for everything else. */
export function registerNotFound(app: FastifyInstance, options: { serveSpa: boolean }) {
  app.setNotFoundHandler((request, reply) => {
    if (options.serveSpa && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).type('application/problem+json').send({
      type: 'https://encours.dev/problems/not_found',
      title: 'Not found',
      status: 404,
      detail: `no route ${request.method} ${request.url.split('?')[0]}`,
    });
  });
}
