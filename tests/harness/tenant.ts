import { AAD_APP_CLIENT_SECRET, BOT_PASSWORD, IDENTITY_HEADER, USERS as SEED_USERS } from '../simulator/tenant/seed.js';
import { ELEVATE_RBAC_APP } from '../simulator/tenant/rbac-seed.js';

/**
 * The simulator's demo tenant (tests/simulator/README.md, "Demo tenant"), taken from
 * `tests/simulator/tenant/seed.ts` so there is one source, plus what only the harness needs.
 */
export {
  AAD_APP_CLIENT_ID,
  AAD_APP_CLIENT_SECRET,
  AAD_APP_ID_URI,
  APPROVERS_GROUP_ID,
  BOT_ID,
  BOT_PASSWORD,
  ELEVATE_IDENTITY,
  ENVIRONMENTS,
  IDENTITY_HEADER,
  ROLES,
  SECURITY_GROUP_ID,
  SSO_SCOPE,
  TEAM,
  TENANT_ID,
} from '../simulator/tenant/seed.js';

/** The name Teams shows for the bot and uses in `<at>…</at>` mentions (manifest `name.short`). */
export const BOT_NAME = 'Elevate';

export interface TeamsUser {
  /** Entra object id (`aadObjectId`). */
  id: string;
  name: string;
  upn: string;
}

/**
 * Adele (eligible Power Platform and Dynamics 365 Administrator), Alex (eligible Global and Power
 * Platform Administrator, standing System Administrator in Contoso Dev), Megan (approver), Nestor
 * (security team), Lee (no eligible role).
 */
export const USERS: { readonly [K in keyof typeof SEED_USERS]: TeamsUser } = SEED_USERS;

/** Secrets of the seed that must never appear in the bot's output. */
export const SEED_SECRETS: readonly string[] = [BOT_PASSWORD, AAD_APP_CLIENT_SECRET, IDENTITY_HEADER, ELEVATE_RBAC_APP.secret];
