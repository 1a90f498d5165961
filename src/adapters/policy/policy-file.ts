import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { EnvironmentRef } from '../../domain/environment.js';
import { ElevateError } from '../../domain/errors.js';
import { ENVIRONMENT_TYPES, PERMISSIVE_POLICY, policyProblems, type ElevatePolicy, type EnvironmentType } from '../../domain/elevate-policy.js';
import { rbacPolicyProblems, type RbacPolicy } from '../../domain/rbac-policy.js';
import { breakGlassProblems, type BreakGlassPolicy } from '../../domain/break-glass.js';
import { rbacSchema, toRbacPolicy } from './rbac-policy-schema.js';

/** The Elevate policy with its optional `rbac` section (Power Platform RBAC grants, issue #14). */
export type LoadedPolicy = ElevatePolicy & { readonly rbac?: RbacPolicy };

/** One thing wrong with a policy file; `rule` is `defaults` or `rule "name" (rules[i])`. */
export interface PolicyFileIssue {
  readonly rule?: string;
  readonly field?: string;
  readonly problem: string;
}

/** The policy file cannot be used. The message has one line per issue, each naming file, rule and field. */
export class PolicyFileError extends ElevateError {
  constructor(
    readonly file: string,
    readonly issues: readonly PolicyFileIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'), 'PolicyFileInvalid');
  }
}

/**
 * Reads and validates the Elevate policy (`ELEVATE_POLICY_FILE`): YAML for `.yaml`/`.yml`, JSON for
 * `.json`. Unknown fields are errors (a misspelt setting must not silently weaken the policy), and so
 * is any attempt at self-approval. No path: the permissive default (no approval, PIM's own limits).
 */
export function loadPolicyFile(path: string | undefined): LoadedPolicy {
  if (path === undefined || path.trim() === '') return PERMISSIVE_POLICY;
  return parsePolicy(path, readSource(path));
}

/** Validates file contents already read; `file` only names the source in errors. */
export function parsePolicy(file: string, source: string): LoadedPolicy {
  const raw = decode(file, source);
  const refused = selfApprovalIssues(raw, []);
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success || refused.length > 0) {
    const issues = parsed.success ? [] : parsed.error.issues.flatMap((issue) => zodIssues(issue, raw)).filter((i) => !isSelfApprovalField(i.field ?? ''));
    throw new PolicyFileError(file, [...refused.map((path) => toIssue(path, raw, SELF_APPROVAL_REFUSED)), ...issues]);
  }
  const policy: LoadedPolicy = {
    defaults: parsed.data.defaults,
    rules: parsed.data.rules,
    ...(parsed.data.environments ? { environments: parsed.data.environments.map(toEnvironmentRef) } : {}),
    ...(parsed.data.rbac ? { rbac: toRbacPolicy(parsed.data.rbac) } : {}),
    ...(parsed.data.standingAccess ? { standingAccess: { expected: parsed.data.standingAccess.expected.map(withoutUndefined) } } : {}),
    ...(parsed.data.breakGlass ? { breakGlass: toBreakGlass(parsed.data.breakGlass) } : {}),
  };
  const breakGlass = policy.breakGlass ? breakGlassProblems(policy.breakGlass) : [];
  if (breakGlass.length > 0)
    throw new PolicyFileError(
      file,
      breakGlass.map((p) => ({ field: `breakGlass.${p.field}`, problem: p.problem })),
    );
  const rbacProblems = policy.rbac ? rbacPolicyProblems(policy.rbac) : [];
  if (rbacProblems.length > 0) {
    throw new PolicyFileError(
      file,
      rbacProblems.map((p) => ({
        rule: `rbac rule ${JSON.stringify(policy.rbac!.rules[p.rule]?.name ?? '')} (rbac.rules[${p.rule}])`,
        field: p.field,
        problem: p.problem,
      })),
    );
  }
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw new PolicyFileError(
      file,
      problems.map((p) => toIssue(p.where === 'defaults' ? ['defaults', ...p.field.split('.')] : ['rules', p.where, ...p.field.split('.')], raw, p.problem)),
    );
  }
  return policy;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Power Platform environment ids: a GUID, or `Default-<tenant id>` for the default environment. */
const ENVIRONMENT_ID = /^(?:default-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_CHANNEL = /^19:[^\s@]+@thread\.[a-z0-9]+$/i;
const SELF_APPROVAL_REFUSED = 'is not allowed: requesters never approve their own requests and no setting can change that; remove it';

const objectId = z
  .string()
  .trim()
  .regex(GUID, 'must be a GUID (an Entra object id)')
  .transform((v) => v.toLowerCase());
const ids = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, 'must list at least one entry');
const environmentType = z.string().transform((value, ctx): EnvironmentType => {
  const known = ENVIRONMENT_TYPES.find((t) => t.toLowerCase() === value.trim().toLowerCase());
  if (known) return known;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be one of ${ENVIRONMENT_TYPES.join(', ')}` });
  return z.NEVER;
});

const approvalSchema = z
  .object({
    required: z.boolean(),
    approverGroupIds: z.array(objectId).default([]),
    approverUserIds: z.array(objectId).default([]),
    approvalsRequired: z.number().int().default(1),
    pendingTimeoutMinutes: z.number().int().default(60),
    freshSignIn: z.object({ authenticationContext: z.string().trim() }).strict().optional(),
  })
  .strict();

const settingsShape = {
  approval: approvalSchema.optional(),
  maximumDuration: z.string().trim().optional(),
  ticketRequired: z.boolean().optional(),
  approvalsChannel: z.string().trim().regex(TEAMS_CHANNEL, 'must be a Teams channel id such as 19:…@thread.tacv2').optional(),
  missingApplicationUser: z.enum(['refuse', 'warn'], { errorMap: () => ({ message: 'must be refuse or warn' }) }).optional(),
  remindChannel: z.boolean().optional(),
  // Issue #16, extending an elevation (src/domain/extension.ts): ranges checked by policyProblems.
  maximumExtensions: z.number().int().optional(),
  maximumExtensionTotal: z.string().trim().optional(),
  extensionApproval: z.boolean().optional(),
};

const matchSchema = z
  .object({
    environmentIds: ids(z.string().trim().regex(ENVIRONMENT_ID, 'must be a Power Platform environment id (a GUID or Default-<tenant id>)')).optional(),
    environmentNamePattern: z.string().optional(),
    environmentTypes: ids(environmentType).optional(),
    roleIds: ids(objectId).optional(),
  })
  .strict();

const ruleSchema = z.object({ name: z.string().trim(), match: matchSchema, ...settingsShape }).strict();

/** An environment offered even when Elevate cannot list the tenant's (docs/api-contracts.md §8). */
const environmentSchema = z
  .object({
    id: z.string().trim().regex(ENVIRONMENT_ID, 'must be a Power Platform environment id (a GUID or Default-<tenant id>)'),
    displayName: z.string().trim().min(1, 'must not be empty'),
    type: environmentType.optional(),
    url: z
      .string()
      .trim()
      .url('must be the Dataverse URL, such as https://contoso.crm.dynamics.com')
      .refine((u) => u.startsWith('https://'), 'must be https'),
    domainName: z.string().trim().optional(),
  })
  .strict();

/** Accounts expected to hold System Administrator (issue #15): object ids, application ids or UPNs. */
const expectedSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty'),
    environmentIds: ids(z.string().trim().regex(ENVIRONMENT_ID, 'must be a Power Platform environment id (a GUID or Default-<tenant id>)')).optional(),
    environmentNamePattern: z.string().optional(),
    environmentTypes: ids(environmentType).optional(),
    accounts: ids(
      z
        .string()
        .trim()
        .refine((v) => GUID.test(v) || /^[^@\s]+@[^@\s]+$/.test(v), 'must be an Entra object id, an application (client) id or a UPN')
        .transform((v) => v.toLowerCase()),
    ),
  })
  .strict();

/** Break glass (issue #16): who may, for how long, and the security team's Teams tag to mention. */
const breakGlassSchema = z
  .object({
    onCallGroupIds: z.array(objectId),
    maximumDuration: z.string().trim(),
    mentionTag: z
      .object({ id: z.string().trim().min(1, 'must not be empty').max(500), name: z.string().trim().min(1, 'must not be empty').max(100) })
      .strict()
      .optional(),
  })
  .strict();

function toBreakGlass(entry: z.infer<typeof breakGlassSchema>): BreakGlassPolicy {
  return {
    onCallGroupIds: [...new Set(entry.onCallGroupIds)],
    maximumDuration: entry.maximumDuration,
    ...(entry.mentionTag ? { mentionTag: { id: entry.mentionTag.id, name: entry.mentionTag.name } } : {}),
  };
}

const fileSchema = z
  .object({
    version: z.literal(1, { errorMap: () => ({ message: 'must be 1' }) }).optional(),
    defaults: z.object(settingsShape).strict().default({}),
    rules: z.array(ruleSchema).default([]),
    environments: z.array(environmentSchema).optional(),
    rbac: rbacSchema.optional(),
    standingAccess: z
      .object({ expected: z.array(expectedSchema).default([]) })
      .strict()
      .optional(),
    breakGlass: breakGlassSchema.optional(),
  })
  .strict();

function toEnvironmentRef(entry: z.infer<typeof environmentSchema>): EnvironmentRef {
  return {
    id: entry.id,
    displayName: entry.displayName,
    url: entry.url,
    ...(entry.type ? { type: entry.type } : {}),
    ...(entry.domainName ? { domainName: entry.domainName } : {}),
  };
}

function readSource(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new PolicyFileError(path, [{ problem: `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})` }]);
  }
}

function decode(file: string, source: string): unknown {
  const extension = extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(extension)) throw new PolicyFileError(file, [{ problem: 'must end in .yaml, .yml or .json' }]);
  let raw: unknown;
  try {
    // YAML 1.2 core schema: `yes` stays a string; duplicate keys are errors, never last-one-wins.
    raw = extension === '.json' ? JSON.parse(source) : parseYaml(source, { uniqueKeys: true, logLevel: 'error' });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PolicyFileError(file, [{ problem: `is not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${detail}` }]);
  }
  if (raw === null || raw === undefined) throw new PolicyFileError(file, [{ problem: 'is empty' }]);
  return raw;
}

/** `allowSelfApproval`, `self_approval`, `SelfApprovalAllowed` ...: in any casing or spelling, anywhere. */
function isSelfApprovalField(field: string): boolean {
  const last = field.split('.').pop() ?? '';
  return last
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .includes('selfapprov');
}

function selfApprovalIssues(value: unknown, path: (string | number)[]): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => selfApprovalIssues(item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [...(isSelfApprovalField(key) ? [[...path, key]] : []), ...selfApprovalIssues(item, [...path, key])]);
}

function zodIssues(issue: z.ZodIssue, raw: unknown): PolicyFileIssue[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) return issue.keys.map((key) => toIssue([...issue.path, key], raw, 'is not a known field'));
  if (issue.code === z.ZodIssueCode.invalid_type) {
    const problem =
      issue.received === 'undefined'
        ? 'is required'
        : issue.expected === 'integer'
          ? 'must be a whole number'
          : `must be ${article(issue.expected)} (found ${issue.received})`;
    return [toIssue(issue.path, raw, problem)];
  }
  if (issue.code === z.ZodIssueCode.invalid_union) return [toIssue(issue.path, raw, 'is invalid')];
  return [toIssue(issue.path, raw, issue.message)];
}

function article(type: string): string {
  return type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

/** Splits a path into the rule it is in (by name and index) and the field inside that rule. */
function toIssue(path: readonly (string | number)[], raw: unknown, problem: string): PolicyFileIssue {
  const [top, index, ...rest] = path;
  if (top === 'rules' && typeof index === 'number') {
    const field = fieldPath(rest);
    return { rule: ruleLabel(raw, index), ...(field ? { field } : {}), problem };
  }
  if (top === 'defaults') {
    const field = fieldPath(path.slice(1));
    return { rule: 'defaults', ...(field ? { field } : {}), problem };
  }
  const field = fieldPath(path);
  return { ...(field ? { field } : {}), problem };
}

function ruleLabel(raw: unknown, index: number): string {
  const rules = (raw as { rules?: unknown } | undefined)?.rules;
  const name = Array.isArray(rules) ? (rules[index] as { name?: unknown } | undefined)?.name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? `rule ${JSON.stringify(name.trim())} (rules[${index}])` : `rule rules[${index}]`;
}

function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}

function formatIssue(file: string, issue: PolicyFileIssue): string {
  const where = [file, issue.rule].filter(Boolean).join(': ');
  return `${where}: ${issue.field ? `${issue.field} ` : ''}${issue.problem}`;
}

/** Zod leaves absent optional fields as undefined keys; `exactOptionalPropertyTypes` wants them gone. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
