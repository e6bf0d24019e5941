import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Api } from './api';
import type { AppContext } from './context';
import { registerAuth } from './plugins/auth';
import { registerInputGuard, registerNotFound, registerProblemHandler } from './plugins/problems';
import { adminRoutes } from './routes/admin';
import { analyticsRoutes } from './routes/analytics';
import { alertRoutes } from './routes/alerts';
import { authRoutes } from './routes/auth';
import { bankingRoutes } from './routes/banking';
import { companyRoutes } from './routes/companies';
import { creditRoutes, heldOrderRoutes } from './routes/credit';
import { collectionRoutes } from './routes/collections';
import { importRoutes, MAX_UPLOAD_BYTES } from './routes/imports';
import { ledgerRoutes } from './routes/ledger';
import { riskDataRoutes } from './routes/risk-data';
import { scoringRoutes } from './routes/scoring';
import { settingsRoutes } from './routes/settings';

export const API_VERSION = '0.1.0';

/** Builds the HTTP application: REST API under /api/v1, OpenAPI docs, and the web app at /. */
export async function buildApp(ctx: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    // Never log credentials.
    ...(options.logger ? { logger: { ...(typeof options.logger === 'object' ? options.logger : {}), redact: ['req.headers.authorization', 'req.headers.cookie'] } } : {}),
    // Forwarded headers only from the configured proxies: believing anyone's X-Forwarded-For let a
    // client pick a new address per request and so escape the per-address login limit.
    trustProxy: ctx.trustProxy?.length ? ctx.trustProxy : false,
  }).withTypeProvider() as unknown as Api;
  app.ctx = ctx;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandler(app);
  registerInputGuard(app);

  // Security headers, built once (the Fastify plugin rebuilds them on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine and Swagger UI set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Encours API',
        version: API_VERSION,
        description: 'Customer credit-risk management and collections. Amounts are decimal strings in the stated currency; dates are YYYY-MM-DD; errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API key created by an administrator' },
          session: { type: 'apiKey', in: 'cookie', name: 'encours_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  registerAuth(app, ctx);

  app.get('/api/health', { schema: { tags: ['system'], summary: 'Liveness and database check' } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', database: ctx.db.dialect, version: API_VERSION };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  authRoutes(app);
  ledgerRoutes(app);
  analyticsRoutes(app);
  adminRoutes(app);
  importRoutes(app);
  bankingRoutes(app);
  scoringRoutes(app);
  creditRoutes(app);
  collectionRoutes(app);
  heldOrderRoutes(app);
  alertRoutes(app);
  companyRoutes(app);
  riskDataRoutes(app);
  settingsRoutes(app);

  const webDir = ctx.webDir;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: 'index.html' });
  }
  // Client-side routes (/customers/…) get the SPA; unknown API paths stay problem+json.
  registerNotFound(app, { serveSpa: !!webDir && existsSync(join(webDir, 'index.html')) });
  await app.ready();
  return app;
}
