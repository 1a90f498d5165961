/**
 * The checks `npm run doctor` prints, in order, each with a stable id. The README's deployment
 * checklist carries the same ids, one line each, plus the steps the doctor cannot verify
 * (`MANUAL_STEPS`); tests/unit/readme.test.ts keeps the two in step.
 */
export const DOCTOR_CHECKS = [
  { id: 'config', title: 'Configuration' },
  { id: 'operator.sign-in', title: "Operator's sign-in" },
  { id: 'app.credential', title: "Elevate's app credential" },
  { id: 'app.secret-expiry', title: 'Client secret expiry' },
  { id: 'app.identifier-uri', title: 'Application ID URI' },
  { id: 'app.exposed-api', title: 'Exposed API and Teams pre-authorisation' },
  { id: 'app.redirect-uri', title: 'Sign-in redirect URI' },
  { id: 'consent.delegated', title: 'Admin consent: delegated permissions' },
  { id: 'consent.application', title: 'Admin consent: application permissions' },
  { id: 'pp.service-principal', title: 'Power Platform API in the tenant' },
  { id: 'pp.management-app', title: 'Power Platform management application' },
  { id: 'pp.rbac-identity', title: 'Power Platform RBAC identity (optional)' },
  { id: 'dataverse.app-user', title: 'Dataverse application user' },
  { id: 'dataverse.system-administrator', title: 'Application user holds System Administrator' },
  { id: 'group.security', title: 'Security group' },
  { id: 'policy.file', title: 'Elevate policy file' },
  { id: 'policy.approvers', title: 'Approvers named in the policy' },
  { id: 'bot.credentials', title: 'Bot Framework credentials' },
  { id: 'pim.policies', title: 'PIM policies of the offered roles' },
] as const;

export type CheckId = (typeof DOCTOR_CHECKS)[number]['id'];

/** Deployment steps the doctor cannot see from the tenant; the README lists them, marked as such. */
export const MANUAL_STEPS = [
  { id: 'manual.azure-bot', title: 'Azure Bot messaging endpoint and Teams channel' },
  { id: 'manual.teams-app', title: 'Teams app package uploaded, channels chosen' },
  { id: 'manual.hosting', title: 'Hosting: HTTPS, persistent store, secrets' },
] as const;

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was found; never a token or a secret. */
  detail: string;
  /** For fail and warn: the exact fix (portal path, command, README section). */
  fix?: string;
}

/** What a check function returns; the runner adds the id and title. */
export type CheckOutcome = Omit<CheckResult, 'id' | 'title'>;

export function titleOf(id: CheckId): string {
  return DOCTOR_CHECKS.find((c) => c.id === id)!.title;
}

export const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
export const fail = (detail: string, fix: string): CheckOutcome => ({ status: 'fail', detail, fix });
export const warn = (detail: string, fix: string): CheckOutcome => ({ status: 'warn', detail, fix });
export const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });
