/**
 * A response body that never changes while the service runs (the city's map), compressed once
 * (brotli and gzip) and sent in the encoding the client accepts, with an ETag so a client that has
 * it gets a 304 and no body at all.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

const ENCODINGS = ['br', 'gzip'] as const;

export interface CompressedBody {
  etag: string;
  type: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

export function compressBody(text: string, type: string): CompressedBody {
  const identity = Buffer.from(text);
  return {
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    type,
    identity,
    br: brotliCompressSync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzip: gzipSync(identity, { level: constants.Z_BEST_COMPRESSION }),
  };
}

export function sendCompressed(
  request: FastifyRequest,
  reply: FastifyReply,
  body: CompressedBody,
  cacheControl: string,
): FastifyReply {
  reply.header('cache-control', cacheControl).header('etag', body.etag).header('vary', 'accept-encoding');
  if (ifNoneMatch(request.headers['if-none-match'], body.etag)) return reply.code(304).send();
  const accepted = request.headers['accept-encoding'];
  const encoding = accepted ? negotiate(accepted.toLowerCase(), [...ENCODINGS]) : null;
  reply.type(body.type);
  if (encoding === null) return reply.send(body.identity);
  return reply.header('content-encoding', encoding).send(body[encoding]);
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
