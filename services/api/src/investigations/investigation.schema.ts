import { INVESTIGATION_STATUSES, MEMBER_ROLES, TLP_LEVELS } from '@osint/contracts';
import { z } from 'zod';
import { safeLine, safeText, uuidSchema } from '../http/validate.js';
import { pageQueryShape, pageSchema } from '../shared/pagination.js';

const region = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as GB')
  .nullable()
  .meta({ description: 'Region for phone numbers written without +country code.' });

/** The allow-list as the API takes it; the importer applies the same limits. */
export const allowList = z
  .array(safeLine(2048, 1))
  .max(500, 'must have at most 500 entries')
  .meta({ description: 'Values extraction must not turn into selectors.' });

export const investigationSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    status: z.enum(INVESTIGATION_STATUSES),
    tlp: z.enum(TLP_LEVELS),
    defaultRegion: z.string().nullable(),
    allowList: z.array(z.string()),
    createdBy: z.uuid(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    role: z.enum(MEMBER_ROLES).meta({ description: "The caller's role in this investigation." }),
  })
  .meta({ id: 'Investigation' });

export const createInvestigationBody = z
  .strictObject({
    title: safeLine(500, 1),
    description: safeText(20_000).default(''),
    status: z.enum(INVESTIGATION_STATUSES).default('open'),
    tlp: z.enum(TLP_LEVELS).default('amber'),
    defaultRegion: region.default(null),
    allowList: allowList.default([]),
  })
  .meta({ id: 'CreateInvestigationRequest' });

export const updateInvestigationBody = z
  .strictObject({
    title: safeLine(500, 1).optional(),
    description: safeText(20_000).optional(),
    status: z.enum(INVESTIGATION_STATUSES).optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
    defaultRegion: region.optional(),
    allowList: allowList.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change at least one field')
  .meta({ id: 'UpdateInvestigationRequest' });

export const listInvestigationsQuery = z.object({
  ...pageQueryShape,
  status: z.enum(INVESTIGATION_STATUSES).optional(),
});

export const investigationListItemSchema = investigationSchema
  .extend({
    memberCount: z.number().int().meta({ description: 'How many people are members (every role).' }),
    lastActivityAt: z.iso.datetime().meta({
      description:
        'The latest of: the newest audit event, the newest document, the newest selector link, and the ' +
        'last change to the investigation itself.',
    }),
  })
  .meta({ id: 'InvestigationListItem' });

export const investigationPage = pageSchema(investigationListItemSchema, 'InvestigationPage');

export const memberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(MEMBER_ROLES),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });

export const memberPage = pageSchema(memberSchema, 'MemberPage');

export const addMemberBody = z
  .strictObject({
    userId: uuidSchema().optional(),
    email: z.string().trim().max(320).pipe(z.email('must be an email address')).optional(),
    role: z.enum(MEMBER_ROLES),
  })
  .refine((b) => (b.userId === undefined) !== (b.email === undefined), {
    message: 'give exactly one of userId or email',
    path: ['userId'],
  })
  .meta({ id: 'AddMemberRequest' });

/**
 * The answer to an invitation: identical whether or not the address has an account, or already is a
 * member, so it tells the caller nothing about other people's accounts.
 */
export const memberInvitation = z
  .object({
    status: z.literal('recorded'),
    role: z.enum(MEMBER_ROLES),
  })
  .meta({ id: 'MemberInvitation' });

export const updateMemberBody = z
  .strictObject({ role: z.enum(MEMBER_ROLES) })
  .meta({ id: 'UpdateMemberRequest' });

export const memberParams = z.object({ id: uuidSchema(), userId: uuidSchema() });
export const memberListQuery = z.object({ ...pageQueryShape });
