/**
 * The simulator's demo tenant as the harness sees it (tests/simulator/README.md, "Demo tenant").
 * The simulator exports the same values from `tests/simulator/seed.ts`; a unit test checks that
 * both agree, so a test can import everything it needs from `tests/harness/index.ts`.
 */
export const TENANT_ID = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';

export const BOT_ID = '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7';
export const BOT_PASSWORD = 'simulated-bot-secret';
/** The name Teams shows for the bot and uses in `<at>…</at>` mentions. */
export const BOT_NAME = 'Elevate';

export const AAD_APP_CLIENT_ID = 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0';
export const AAD_APP_CLIENT_SECRET = 'simulated-sso-secret';
export const SSO_SCOPE = `api://botid-${BOT_ID}/access_as_user`;

export const SECURITY_GROUP_ID = '5ec0a11d-0000-4000-8000-000000000001';
export const APPROVERS_GROUP_ID = 'a99a0e00-0000-4000-8000-000000000002';

export interface TeamsUser {
  /** Entra object id (`aadObjectId`). */
  id: string;
  name: string;
  upn: string;
}

export const USERS = {
  /** Eligible Power Platform and Dynamics 365 Administrator; sees Contoso Prod, Dev, UAT. */
  adele: { id: 'a0000000-0000-4000-8000-00000000ade1', name: 'Adele Vance', upn: 'adele@contoso.example' },
  /** Eligible Global and Power Platform Administrator; standing System Administrator in Contoso Dev; sees all four. */
  alex: { id: 'a0000000-0000-4000-8000-00000000a1e5', name: 'Alex Wilber', upn: 'alex@contoso.example' },
  /** Approver (approvers group). */
  megan: { id: 'a0000000-0000-4000-8000-0000000e6a00', name: 'Megan Bowen', upn: 'megan@contoso.example' },
  /** Security team. */
  nestor: { id: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke', upn: 'nestor@contoso.example' },
  /** No eligible role; sees Contoso Dev. */
  lee: { id: 'a0000000-0000-4000-8000-0000000001ee', name: 'Lee Gu', upn: 'lee@contoso.example' },
} as const satisfies Record<string, TeamsUser>;

export interface SeedEnvironment {
  id: string;
  displayName: string;
  type: 'Production' | 'Sandbox';
  domainName: string;
}

export const ENVIRONMENTS = {
  contosoProd: { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod', type: 'Production', domainName: 'contosoprod' },
  contosoDev: { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', type: 'Sandbox', domainName: 'contosodev' },
  contosoUat: { id: 'e0000000-0000-4000-8000-000000000003', displayName: 'Contoso UAT', type: 'Sandbox', domainName: 'contosouat' },
  fabrikamSales: { id: 'e0000000-0000-4000-8000-000000000004', displayName: 'Fabrikam Sales', type: 'Production', domainName: 'fabrikamsales' },
} as const satisfies Record<string, SeedEnvironment>;

/** Entra role template ids (api-contracts §6). */
export const ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  powerPlatformAdministrator: '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
  dynamics365Administrator: '44367163-eba1-44c3-98af-f5787879f96a',
} as const;

/** Secrets of the seed that must never appear in the bot's output. */
export const SEED_SECRETS: readonly string[] = [BOT_PASSWORD, AAD_APP_CLIENT_SECRET];
