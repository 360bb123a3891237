/**
 * One shape for every error answer: `{error, message, details?}`. Known failures keep their status;
 * anything else is a 500 whose body carries no stack trace or SQL (those go to the log only).
 */
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { isDatabaseUnavailable } from '@dudao/db';
import { StorageUnavailableError } from '../ingest/pipeline.ts';
import { isRedisUnavailable } from '../redis/connections.ts';
import { AuthError } from './auth.ts';

/** Seconds a sender should wait before retrying when the database is away. */
export const RETRY_AFTER_SECONDS = 5;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export interface AjvIssue {
  keyword?: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Ajv issues → `[{path, message}]`, the path naming the item index and the field. */
export function validationDetails(issues: AjvIssue[]): { path: string; message: string }[] {
  // An `if` failure only repeats the `then` error beside it.
  return issues
    .filter((i) => i.keyword !== 'if')
    .map((i) => {
      const missing = i.params?.missingProperty;
      const path = typeof missing === 'string' ? `${i.instancePath}/${missing}` : i.instancePath || '/';
      return { path, message: i.message ?? 'is invalid' };
    });
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'invalid_body',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpError) {
        return reply.code(error.statusCode).send({
          error: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        });
      }
      if (error instanceof AuthError) {
        return reply
          .code(error.statusCode)
          .send({ error: CODES_BY_STATUS[error.statusCode], message: error.message });
      }
      if (error.validation) {
        return reply.code(400).send({
          error: 'invalid_body',
          message: 'the request does not match the schema',
          details: validationDetails(error.validation as AjvIssue[]),
        });
      }
      if (error instanceof StorageUnavailableError) {
        request.log.error({ err: error.cause }, 'ingest transaction failed');
        return reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send({
          error: 'unavailable',
          message: 'the database is unavailable: nothing is acknowledged; retry later (a retry is harmless)',
        });
      }
      // A read (or a key check) that met the database or Redis away: the client retries.
      if (isDatabaseUnavailable(error) || isRedisUnavailable(error)) {
        request.log.error({ err: error }, 'backing service unavailable');
        return reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send({
          error: 'unavailable',
          message: 'the database or the live store is unavailable; retry later',
        });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = CODES_BY_STATUS[status] ?? 'bad_request';
        if (status === 429) return reply.code(429).send({ error: code, message: error.message });
        const details = status === 400 ? [{ path: '/', message: error.message }] : undefined;
        return reply
          .code(status)
          .send({ error: code, message: error.message, ...(details ? { details } : {}) });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'internal error' });
    });

    app.setNotFoundHandler((request, reply) => {
      // The dashboard's client-side routes (/district/…) are answered with its index page.
      if (request.method === 'GET' && !request.url.startsWith('/api/') && app.hasDecorator('dashboardIndex'))
        return app.dashboardIndex(reply);
      reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    });
  },
  { name: 'dudao-errors', fastify: '5.x' },
);
