import { z } from 'zod';
import type { RbacPolicy } from '../../domain/rbac-policy.js';

/**
 * The `rbac` section of the Elevate policy file (issue #14), validated like the rest of the file:
 * unknown fields are errors. Example in env/elevate-policy.example.yaml.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const objectId = z
  .string()
  .trim()
  .regex(GUID, 'must be a GUID')
  .transform((v) => v.toLowerCase());
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, 'must list at least one entry');

const approval = z
  .object({
    required: z.boolean(),
    approverGroupIds: z.array(objectId).default([]),
    approverUserIds: z.array(objectId).default([]),
    approvalsRequired: z.number().int().min(1, 'must be at least 1').default(1),
    pendingTimeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
  })
  .strict();

const rule = z
  .object({
    name: z.string().trim().min(1, 'must not be empty'),
    match: z
      .object({
        roleIds: list(objectId).optional(),
        scopeKinds: list(
          z.enum(['tenant', 'environmentGroup', 'environment'], { errorMap: () => ({ message: 'must be tenant, environmentGroup or environment' }) }),
        ).optional(),
        scopeIds: list(z.string().trim().min(1)).optional(),
        scopeNamePattern: z.string().optional(),
        principalTypes: list(
          z.enum(['User', 'ApplicationUser'], { errorMap: () => ({ message: 'must be User or ApplicationUser (groups are not granted)' }) }),
        ).optional(),
      })
      .strict(),
    requesterUserIds: z.array(objectId).optional(),
    requesterGroupIds: z.array(objectId).optional(),
    maximumDuration: z.string().trim(),
    ticketRequired: z.boolean().optional(),
    approval: approval.optional(),
  })
  .strict();

export const rbacSchema = z
  .object({
    forbidTenantOwner: z.boolean().default(true),
    environmentGroups: z.array(z.object({ id: objectId, displayName: z.string().trim().min(1, 'must not be empty') }).strict()).default([]),
    rules: z.array(rule).default([]),
  })
  .strict();

export function toRbacPolicy(parsed: z.infer<typeof rbacSchema>): RbacPolicy {
  return {
    forbidTenantOwner: parsed.forbidTenantOwner,
    environmentGroups: parsed.environmentGroups,
    rules: parsed.rules.map((r) => ({
      name: r.name,
      match: r.match,
      maximumDuration: r.maximumDuration,
      ...(r.requesterUserIds ? { requesterUserIds: r.requesterUserIds } : {}),
      ...(r.requesterGroupIds ? { requesterGroupIds: r.requesterGroupIds } : {}),
      ...(r.ticketRequired !== undefined ? { ticketRequired: r.ticketRequired } : {}),
      ...(r.approval ? { approval: r.approval } : {}),
    })),
  };
}
