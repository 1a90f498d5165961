/**
 * How a PIM eligibility or assignment reaches the user: directly, or through a group. Power Platform
 * ignores admin roles that come through groups ("Role assignments through groups aren't supported.
 * Make sure that you assign roles directly to the user.", docs/api-contracts.md §8), so Elevate offers
 * only direct ones and says so, naming the group, before anything is activated.
 *
 * Graph marks a group's instance with `memberType: "Group"`, and its `principalId` is the group's id
 * (a third-party report; Microsoft's reference only names the values). Either sign is enough here.
 */
export interface MembershipFacts {
  memberType?: string;
  principalId?: string;
  /** `$expand=principal`: the group (or the user) the instance belongs to. */
  principal?: { id?: string; displayName?: string; type?: string };
}

/** The group an instance comes through, when it does not belong to the user directly. */
export interface GroupSource {
  id?: string;
  name?: string;
}

/** Undefined for a direct instance; otherwise the group it comes through (id and name where known). */
export function groupSourceOf(instance: MembershipFacts, userId: string): GroupSource | undefined {
  const principalIsOther = instance.principalId !== undefined && instance.principalId.toLowerCase() !== userId.toLowerCase();
  const principalIsGroup = instance.principal?.type?.toLowerCase().endsWith('group') === true;
  if (instance.memberType?.toLowerCase() !== 'group' && !principalIsOther && !principalIsGroup) return undefined;
  const id = principalIsOther ? instance.principalId : instance.principal?.id !== userId ? instance.principal?.id : undefined;
  const name = instance.principal?.displayName;
  return { ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

export function isDirect(instance: MembershipFacts, userId: string): boolean {
  return groupSourceOf(instance, userId) === undefined;
}

/** A self-elevation role the user is eligible for only through groups. */
export interface GroupOnlyRole {
  roleId: string;
  roleName: string;
  groups: GroupSource[];
}

/** How a group is named to the requester: its name, else its id, else "a group". */
export function groupLabel(group: GroupSource): string {
  if (group.name && group.id) return `${group.name} (${group.id})`;
  return group.name ?? group.id ?? 'a group';
}
