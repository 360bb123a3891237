/** `POST /api/v1/events` (SPEC §5): one event, a JSON array, or NDJSON. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DudaoEvent } from '@dudao/domain';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_REQUEST } from '../config.ts';
import { writeScope } from '../auth/keys.ts';
import { eventSchema, ingestBodySchema } from '../ingest/schemas.ts';
import { HttpError, validationDetails, type AjvIssue } from '../plugins/errors.ts';

const NDJSON = 'application/x-ndjson';

/** NDJSON → an array; a bad line is a 400 naming its index, like a bad array item. */
function parseNdjson(text: string): unknown[] {
  const items: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      throw new HttpError(400, 'invalid_body', 'a line is not valid JSON', [
        { path: `/${items.length}`, message: 'is not valid JSON' },
      ]);
    }
  }
  return items;
}

/**
 * Rules a JSON schema cannot state: deadlines come after the event that sets them. Checked on items
 * of any shape, so one answer lists these errors beside the schema's.
 */
function crossFieldErrors(items: unknown[]): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  items.forEach((item, i) => {
    const { type, deadline, occurredAt } = (item ?? {}) as Record<string, unknown>;
    if (type !== 'issue.raised' && type !== 'issue.verified' && type !== 'issue.deadline_extended') return;
    if (typeof deadline !== 'string' || typeof occurredAt !== 'string') return;
    const [due, at] = [Date.parse(deadline), Date.parse(occurredAt)];
    if (!Number.isNaN(due) && !Number.isNaN(at) && due <= at)
      errors.push({ path: `/${i}/deadline`, message: 'must be after occurredAt' });
  });
  return errors;
}

/** Events nest two levels (`target`); extra fields may nest some more, never without bound. */
const MAX_EVENT_DEPTH = 8;
const TIME_FIELDS = ['occurredAt', 'deadline'] as const;

/**
 * What a JSON schema lets through but the database cannot store or the pipeline cannot read: a
 * time Date.parse cannot read (a leap second), U+0000 in a string, nesting without end. Caught
 * here, each is a 400 for its request alone, not a failed transaction for its whole group.
 */
function unstorableErrors(items: unknown[]): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) errors.push({ path, message: 'must not contain U+0000' });
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_EVENT_DEPTH) {
        errors.push({ path, message: `must not nest deeper than ${MAX_EVENT_DEPTH} levels` });
        return;
      }
      for (const [key, child] of Object.entries(value)) walk(child, `${path}/${key}`, depth + 1);
    }
  };
  items.forEach((item, i) => {
    walk(item, `/${i}`, 0);
    for (const field of TIME_FIELDS) {
      const time = (item as Record<string, unknown> | null)?.[field];
      if (typeof time === 'string' && Number.isNaN(Date.parse(time)))
        errors.push({ path: `/${i}/${field}`, message: 'is not a time this service can read' });
    }
  });
  return errors;
}

export default async function ingestRoutes(app: FastifyInstance) {
  app.addSchema(eventSchema);
  // Only JSON and NDJSON are events: anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(NDJSON, { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    try {
      done(null, parseNdjson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.post(
    '/api/v1/events',
    {
      bodyLimit: MAX_BODY_BYTES,
      schema: { body: ingestBodySchema },
      attachValidation: true,
      onRequest: app.requireKey('ingest'),
      // A single event is validated as a batch of one, so every error path names an index.
      preValidation: async (request: FastifyRequest) => {
        if (!Array.isArray(request.body)) request.body = [request.body];
        if ((request.body as unknown[]).length > MAX_EVENTS_PER_REQUEST)
          throw new HttpError(
            413,
            'payload_too_large',
            `at most ${MAX_EVENTS_PER_REQUEST} events per request`,
          );
      },
    },
    async (request) => {
      const items = request.body as unknown[];
      const schemaErrors = request.validationError?.validation ?? [];
      const details = [
        ...validationDetails(schemaErrors as AjvIssue[]),
        ...crossFieldErrors(items),
        ...unstorableErrors(items),
      ];
      if (details.length > 0)
        throw new HttpError(400, 'invalid_body', 'the request does not match the schema', details);
      return app.pipeline.submit(items as DudaoEvent[], writeScope(request.principal));
    },
  );
}
