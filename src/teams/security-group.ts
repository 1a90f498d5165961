import type { TeamsServices } from './services.js';

/**
 * Whether the user is a (transitive) member of SECURITY_GROUP_ID, checked by object id through
 * Graph with the bot's own identity, never by name or email.
 */
export async function isSecurityTeamMember(services: TeamsServices, aadObjectId: string | undefined): Promise<boolean> {
  if (!aadObjectId) return false;
  const graph = services.elevation.tokens.forApp(services.elevation.settings.graphResource);
  const groups = await services.elevation.pim.checkMemberGroups(graph, aadObjectId, [services.securityGroupId]);
  return groups.includes(services.securityGroupId);
}
