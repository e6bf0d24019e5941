import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemActor } from '../app/actor';
import { createApiKey } from '../app/auth/create-api-key';
import type { Config } from '../config';
import { systemClock } from '../infra/clock';
import { liveLockHolder } from '../infra/db/data-dir-lock';
import { openDb } from '../infra/db/open-db';
import { openDataProviders } from '../infra/providers/open-data-providers';
import { buildApp } from '../http/app';
import { CLI_TOKEN_FILE, firstOrganisationId } from '../server';

/** The CLI speaks to Encours only through its API: over HTTP to a running server, or in-process. */
export type ApiClient = {
  mode: 'http' | 'in-process';
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** POST a file as multipart/form-data field "file". */
  upload<T>(path: string, fileName: string, bytes: Uint8Array): Promise<T>;
  close(): Promise<void>;
};

function formWith(fileName: string, bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return form;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { index?: number; ref?: string; field: string; reason: string; value?: unknown }[] },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/**
 * Embedded mode allows one process per data directory: when a server holds it, the CLI goes
 * through that server's API with the local key it wrote; otherwise it opens the database itself.
 */
export async function connect(config: Config): Promise<ApiClient> {
  if (!config.databaseUrl) {
    const holder = liveLockHolder(config.dataDir);
    if (holder?.url) {
      const tokenFile = join(config.dataDir, CLI_TOKEN_FILE);
      if (!existsSync(tokenFile)) throw new Error(`a server (pid ${holder.pid}) holds ${config.dataDir} but left no CLI key`);
      return httpClient(holder.url, readFileSync(tokenFile, 'utf8').trim());
    }
  }
  const opened = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const organisationId = await firstOrganisationId(opened.db);
  if (!organisationId) {
    await opened.close();
    throw new Error('no organisation yet: run `npm start` once (or `encours serve`) to create it');
  }
  const { key, secret } = await createApiKey({ db: opened.db, actor: systemActor(organisationId), name: 'cli-session', role: 'admin' });
  const providers = config.providersEnabled ? openDataProviders({ rechercheEntreprisesUrl: config.rechercheEntreprisesUrl, bodaccUrl: config.bodaccUrl }) : undefined;
  const app = await buildApp({ db: opened.db, clock: systemClock(config.timeZone), providers });
  return {
    mode: 'in-process',
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await app.inject({
        method: method as 'GET',
        url: path,
        headers: { authorization: `Bearer ${secret}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return parse<T>(response.statusCode, response.body);
    },
    async upload<T>(path: string, fileName: string, bytes: Uint8Array) {
      const response = await app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${secret}` }, payload: formWith(fileName, bytes) as never });
      return parse<T>(response.statusCode, response.body);
    },
    async close() {
      await opened.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
      await app.close();
      await opened.close();
    },
  };
}

function httpClient(baseUrl: string, token: string): ApiClient {
  return {
    mode: 'http',
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return parse<T>(response.status, await response.text());
    },
    async upload<T>(path: string, fileName: string, bytes: Uint8Array) {
      const response = await fetch(baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: formWith(fileName, bytes) });
      return parse<T>(response.status, await response.text());
    },
    async close() {},
  };
}

function parse<T>(status: number, text: string): T {
  const body = text ? JSON.parse(text) : undefined;
  if (status >= 400) throw new ApiProblem(status, body ?? {});
  return body as T;
}
