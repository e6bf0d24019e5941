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
