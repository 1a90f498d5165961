import type { ElevatePolicy, PolicySettings } from '../../domain/elevate-policy.js';
import { HttpError } from '../../domain/errors.js';
import { fail, pass, skip, warn, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { DirectoryReader } from './directory-reader.js';
import { failureFacts } from './failure-text.js';

/**
 * What the bot resolves in the directory with its own identity: the security group
 * (`GET /groups/{id}`, GroupMember.Read.All) and every approver group and user the Elevate policy
 * names (`GET /users/{id}`, User.Read.All), after the policy file itself loads as the bot loads it.
 */
const OBJECT_ID = 'Entra admin center → Identity → Groups (or Users) → the object → Overview → Object ID';

function appReader(ctx: DoctorContext): DirectoryReader {
  return new DirectoryReader(ctx.deps.http, ctx.graph, ctx.graphAppToken);
}

function refused(error: unknown, permission: string): CheckOutcome {
  const facts = failureFacts(error);
  if (error instanceof HttpError && error.status === 403) {
    return fail(`Graph refused Elevate's app token (${facts.text}): it needs ${permission}`, 'grant the application permission (consent.application)');
  }
  return fail(`Graph could not be asked (${facts.text})`, 'check GRAPH_BASE_URL and the network');
}

export async function securityGroup(ctx: DoctorContext): Promise<CheckOutcome> {
  const id = ctx.config.securityGroupId;
  try {
    const group = await appReader(ctx).group(id);
    if (group) return pass(`"${group.displayName ?? id}" (${id})`);
    return fail(`SECURITY_GROUP_ID ${id} is not a group of the tenant`, `set SECURITY_GROUP_ID to the security team's group: ${OBJECT_ID}`);
  } catch (error) {
    return refused(error, 'GroupMember.Read.All');
  }
}

type Loaded = { ok: true; policy: ElevatePolicy } | { ok: false; why: string };

export function loadedPolicy(ctx: DoctorContext): Promise<Loaded> {
  return ctx.memo('policy', async (): Promise<Loaded> => {
    try {
      return { ok: true, policy: ctx.deps.loadPolicy(ctx.config.policyFile) };
    } catch (error) {
      return { ok: false, why: error instanceof Error ? error.message : String(error) };
    }
  });
}

export async function policyFile(ctx: DoctorContext): Promise<CheckOutcome> {
  const file = ctx.config.policyFile;
  const loaded = await loadedPolicy(ctx);
  if (!loaded.ok)
    return fail(
      loaded.why.split('\n').join('; '),
      `correct ${file}: each problem names the rule and the field (README "Elevate policy"; start from env/elevate-policy.example.yaml)`,
    );
  if (!file) return pass('ELEVATE_POLICY_FILE is not set: no approvals or ticket rules, PIM limits only');
  const { rules, environments } = loaded.policy;
  const envs = environments?.length ?? 0;
  return pass(
    `${file}: ${rules.length} rule${rules.length === 1 ? '' : 's'}${rules.length > 0 ? ` (${rules.map((r) => r.name).join(', ')})` : ''}, ${envs} listed environment${envs === 1 ? '' : 's'}`,
  );
}

interface Named {
  kind: 'group' | 'user';
  id: string;
  where: string[];
}

function approversOf(policy: ElevatePolicy): Named[] {
  const found = new Map<string, Named>();
  const add = (kind: Named['kind'], id: string, where: string) => {
    const entry = found.get(`${kind}:${id}`) ?? { kind, id, where: [] };
    if (!entry.where.includes(where)) entry.where.push(where);
    found.set(`${kind}:${id}`, entry);
  };
  const visit = (settings: PolicySettings, where: string) => {
    for (const id of settings.approval?.approverGroupIds ?? []) add('group', id, where);
    for (const id of settings.approval?.approverUserIds ?? []) add('user', id, where);
  };
  visit(policy.defaults, 'defaults');
  for (const rule of policy.rules) visit(rule, `rule "${rule.name}"`);
  return [...found.values()];
}

export async function policyApprovers(ctx: DoctorContext): Promise<CheckOutcome> {
  const loaded = await loadedPolicy(ctx);
  if (!loaded.ok) return skip('the policy file did not load (policy.file)');
  const named = approversOf(loaded.policy);
  if (named.length === 0) return pass('the policy names no approver');
  const unknown: Named[] = [];
  const disabled: Named[] = [];
  const known: string[] = [];
  try {
    for (const entry of named) {
      const found = entry.kind === 'group' ? await appReader(ctx).group(entry.id) : await appReader(ctx).user(entry.id);
      if (!found) unknown.push(entry);
      else if ('accountEnabled' in found && found.accountEnabled === false) disabled.push(entry);
      else known.push(found.displayName ?? entry.id);
    }
  } catch (error) {
    return refused(error, 'GroupMember.Read.All and User.Read.All');
  }
  const describe = (items: Named[]) => items.map((n) => `${n.kind} ${n.id} (${n.where.join(', ')})`).join('; ');
  const fix = `in ${ctx.config.policyFile}, use the object id of an existing Entra group or user: ${OBJECT_ID}`;
  if (unknown.length > 0) return fail(`unknown approver ${describe(unknown)}`, fix);
  if (disabled.length > 0) return warn(`disabled approver ${describe(disabled)}`, fix);
  return pass(`${known.length} approver${known.length === 1 ? '' : 's'} exist: ${known.join(', ')}`);
}
