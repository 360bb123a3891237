/**
 * No secret in any log line (issue 15): keys in URLs (`?token=`) and in the Authorization header,
 * session cookies, passwords and CSRF tokens. pino's own `redact` covers secrets logged as fields;
 * the request serializer strips secret query parameters from `url`; the error serializer drops the
 * bound parameters of a failed query (a token hash, a session id) and the values a constraint
 * violation quotes. `withRedaction` wraps whatever logger options the service is given.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { stdSerializers, type LoggerOptions } from 'pino';

export const REDACTED = '[redacted]';

/** Query parameters that carry a credential. */
const SECRET_QUERY_PARAMS = new Set([
  'token',
  'access_token',
  'sign',
  'secret',
  'key',
  'api_key',
  'apikey',
  'password',
  'session',
  'sessionid',
  'csrf',
  'csrftoken',
  '_csrf',
]);

/** Header and body fields that carry a credential, wherever they are logged from. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-csrf-token',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'csrfToken',
  'sessionId',
  'secret',
];

/** Each field at the top of a log line and one or two levels down (`req.headers.cookie`, `body.password`). */
export const REDACT_PATHS = SECRET_FIELDS.map((f) => `["${f}"]`).flatMap((f) => [f, `*${f}`, `*.*${f}`]);

/** Our keys' own shape (`dd_<id>_<secret>`), scrubbed wherever a URL or message quotes one. */
const KEY_PATTERN = /dd_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}/g;

/** `url` with the value of every secret query parameter (and any key in its path) replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = url.slice(0, at === -1 ? undefined : at).replace(KEY_PATTERN, REDACTED);
  if (at === -1) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeName(eq === -1 ? pair : pair.slice(0, eq));
      return eq !== -1 && SECRET_QUERY_PARAMS.has(name.toLowerCase())
        ? `${pair.slice(0, eq)}=${REDACTED}`
        : pair.replace(KEY_PATTERN, REDACTED);
    })
    .join('&');
  return `${path}?${query}`;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** Fastify's request fields, the URL without its secrets, and never a header. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** A failed query's message ends with its bound parameters; a constraint's detail quotes values. */
function scrubText(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, `\nparams: ${REDACTED}`)
    .replace(/=\((.*?)\)/g, `=(${REDACTED})`)
    .replace(KEY_PATTERN, REDACTED);
}

type SerializedError = ReturnType<typeof stdSerializers.err> & Record<string, unknown>;

function scrubError(serialized: SerializedError, depth = 0): SerializedError {
  for (const field of ['params', 'parameters'] as const)
    if (field in serialized) serialized[field] = REDACTED;
  for (const field of ['message', 'stack', 'detail'] as const) {
    const value = serialized[field];
    if (typeof value === 'string') serialized[field] = scrubText(value);
  }
  const cause = serialized.cause as SerializedError | undefined;
  if (cause && typeof cause === 'object' && depth < 5) scrubError(cause, depth + 1);
  return serialized;
}

const serializeError = (err: Error) => scrubError(stdSerializers.err(err) as SerializedError);

export const REDACTION_OPTIONS = {
  redact: { paths: REDACT_PATHS, censor: REDACTED },
  serializers: { req: serializeRequest, err: serializeError, error: serializeError },
} satisfies Pick<LoggerOptions, 'redact' | 'serializers'>;

type LoggerSetting = FastifyServerOptions['logger'];

/** The service's logger options with the redaction above; `false` (no log) stays false. */
export function withRedaction(logger: LoggerSetting): LoggerSetting {
  if (!logger) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    redact: REDACTION_OPTIONS.redact,
    serializers: { ...base.serializers, ...REDACTION_OPTIONS.serializers },
  };
}
