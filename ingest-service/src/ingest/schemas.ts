/** JSON schemas of the ingest contract (SPEC §5), validated by Fastify's own Ajv at the edge. */
import {
  COMPLAINT_CHANNELS,
  EVENT_TYPES,
  INSPECTION_MODES,
  INSTITUTION_ACTIONS,
  ISSUE_CATEGORIES,
  MAX_PHOTOS,
  MAX_SHORT_TEXT_CHARS,
  MAX_TEXT_CHARS,
  SEVERITIES,
  TARGET_KINDS,
  THEMES,
} from '@dudao/domain';
import { MAX_EVENTS_PER_REQUEST } from '../config.ts';

const objectId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;
const isoTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const enumOf = (values: readonly string[]) => ({ type: 'string', enum: [...values] }) as const;
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
/** Photos are links to where the mini-program stored them: https only, never inline data. */
const photos = {
  type: 'array',
  maxItems: MAX_PHOTOS,
  items: { type: 'string', maxLength: 2048, pattern: '^https://[^\\s]+$' },
} as const;

const target = {
  type: 'object',
  required: ['kind', 'id'],
  properties: { kind: enumOf(TARGET_KINDS), id: objectId },
} as const;

const envelope = {
  id: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
  occurredAt: isoTime,
  district: { type: 'string', pattern: '^[0-9]{6}$' },
  inspector: objectId,
  actor: text(MAX_SHORT_TEXT_CHARS),
} as const;

/** One schema per type, chosen by Ajv's discriminator so errors name the right fields. */
const byType: Record<
  (typeof EVENT_TYPES)[number],
  { required: string[]; properties: object; extra?: object }
> = {
  'inspection.started': {
    required: ['inspectionId', 'target', 'mode', 'theme', 'inspector'],
    properties: { inspectionId: objectId, target, mode: enumOf(INSPECTION_MODES), theme: enumOf(THEMES) },
  },
  'inspection.completed': {
    required: ['inspectionId', 'findings'],
    properties: {
      inspectionId: objectId,
      findings: { type: 'integer', minimum: 0, maximum: 10_000 },
      summary: text(MAX_TEXT_CHARS),
    },
  },
  'issue.raised': {
    required: ['issueId', 'target', 'category', 'severity', 'deadline'],
    properties: {
      issueId: objectId,
      inspectionId: objectId,
      target,
      category: enumOf(ISSUE_CATEGORIES),
      severity: enumOf(SEVERITIES),
      deadline: isoTime,
      description: text(MAX_TEXT_CHARS),
      measures: text(MAX_TEXT_CHARS),
      responsible: text(MAX_SHORT_TEXT_CHARS),
      photos,
    },
  },
  'issue.rectified': {
    required: ['issueId'],
    properties: { issueId: objectId, note: { type: 'string', maxLength: MAX_TEXT_CHARS }, photos },
  },
  'issue.verified': {
    required: ['issueId', 'result'],
    properties: { issueId: objectId, result: enumOf(['passed', 'failed']), deadline: isoTime },
    extra: { if: { properties: { result: { const: 'failed' } } }, then: { required: ['deadline'] } },
  },
  'issue.deadline_extended': {
    required: ['issueId', 'deadline', 'reason'],
    properties: { issueId: objectId, deadline: isoTime, reason: text(MAX_TEXT_CHARS) },
  },
  'issue.urged': {
    required: ['issueId', 'note'],
    properties: { issueId: objectId, note: text(MAX_TEXT_CHARS) },
  },
  'issue.commented': {
    required: ['issueId', 'note'],
    properties: { issueId: objectId, note: text(MAX_TEXT_CHARS) },
  },
  'institution.action': {
    required: ['institutionId', 'action'],
    properties: {
      institutionId: objectId,
      action: enumOf(INSTITUTION_ACTIONS),
      amountYuan: { type: 'integer', minimum: 0, maximum: 100_000_000 },
    },
  },
  'complaint.received': {
    required: ['complaintId', 'channel', 'category'],
    properties: {
      complaintId: objectId,
      channel: enumOf(COMPLAINT_CHANNELS),
      category: enumOf(ISSUE_CATEGORIES),
      target,
    },
  },
  'complaint.resolved': { required: ['complaintId'], properties: { complaintId: objectId } },
  'school.report': {
    required: ['schoolId', 'period', 'afterSchoolOffered', 'afterSchoolParticipation', 'homeworkCompliant'],
    properties: {
      schoolId: objectId,
      period: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' },
      afterSchoolOffered: { type: 'boolean' },
      afterSchoolParticipation: { type: 'number', minimum: 0, maximum: 1 },
      homeworkCompliant: { type: 'boolean' },
    },
  },
};

export const eventSchema = {
  $id: 'dudao-event',
  type: 'object',
  required: ['id', 'type', 'occurredAt', 'district'],
  discriminator: { propertyName: 'type' },
  oneOf: EVENT_TYPES.map((type) => ({
    properties: { ...envelope, type: { const: type }, ...byType[type].properties },
    required: byType[type].required,
    ...byType[type].extra,
  })),
} as const;

/** The route validates arrays: a single event is wrapped before validation, NDJSON parses to one. */
export const ingestBodySchema = {
  type: 'array',
  maxItems: MAX_EVENTS_PER_REQUEST,
  items: { $ref: 'dudao-event#' },
} as const;
