import type { ElevationDeps } from './deps.js';

/**
 * Whether the user is a (transitive) member of the security team's group (SECURITY_GROUP_ID),
 * checked by object id through Graph with the bot's own identity, never by name or email.
 */
export async function isSecurityTeamMember(
  deps: Pick<ElevationDeps, 'tokens' | 'pim' | 'settings'>,
  securityGroupId: string,
  aadObjectId: string | undefined,
): Promise<boolean> {
  if (!aadObjectId) return false;
  const graph = deps.tokens.forApp(deps.settings.graphResource);
  const groups = await deps.pim.checkMemberGroups(graph, aadObjectId, [securityGroupId]);
  return groups.includes(securityGroupId);
}
