/**
 * Entra directory roles that the Power Platform self-elevation API honours
 * (docs/api-contracts.md §3, §6). Role template ids are the same in every tenant.
 */
export interface AdminRole {
  readonly id: string;
  readonly name: string;
  /** Short names a requester may type after `as`. */
  readonly aliases: readonly string[];
}

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const POWER_PLATFORM_ADMINISTRATOR = '11648597-926c-4cf3-9c36-bcebb0ba8dcc';
export const DYNAMICS_365_ADMINISTRATOR = '44367163-eba1-44c3-98af-f5787879f96a';

export const SELF_ELEVATION_ROLES: readonly AdminRole[] = [
  {
    id: POWER_PLATFORM_ADMINISTRATOR,
    name: 'Power Platform Administrator',
    aliases: ['power platform', 'power platform admin', 'power platform administrator', 'ppadmin', 'pp admin', 'pp'],
  },
  {
    id: DYNAMICS_365_ADMINISTRATOR,
    name: 'Dynamics 365 Administrator',
    aliases: ['dynamics', 'dynamics 365', 'dynamics 365 admin', 'dynamics 365 administrator', 'd365', 'd365 admin', 'crm admin'],
  },
  { id: GLOBAL_ADMINISTRATOR, name: 'Global Administrator', aliases: ['global', 'global admin', 'global administrator', 'ga'] },
];

export function roleById(id: string, roles: readonly AdminRole[] = SELF_ELEVATION_ROLES): AdminRole | undefined {
  return roles.find((r) => r.id === id);
}
