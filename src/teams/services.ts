import type { Logger } from 'pino';
import type { AuditIntegrityDeps } from '../use-cases/audit-integrity.js';
import type { ElevationDeps } from '../use-cases/deps.js';
import type { BreakGlassReviewDeps } from '../use-cases/break-glass-review.js';
import type { GrantDeps } from '../use-cases/grants/grant-deps.js';
import type { StandingAccessDeps } from '../use-cases/standing-access-deps.js';
import type { BackgroundTasks } from '../jobs/background-tasks.js';
import type { Courier } from './chat.js';
import type { ConversationDirectory } from './channels/conversations.js';
import type { SignIn } from './sign-in/teams-sso.js';
import type { StepUpSignIn } from './sign-in/step-up.js';

/** What the Teams routes use; built once in `main.ts`. */
export interface TeamsServices {
  /** Proactive messages, through the outbox (outbound/outbox.ts). */
  courier: Courier;
  botId: string;
  securityGroupId: string;
  /** The Entra tenant Elevate serves (AAD_APP_TENANT_ID). */
  tenantId: string;
  elevation: ElevationDeps;
  /** Break-glass reviews in the security channel (issue #16). */
  breakGlass: BreakGlassReviewDeps;
  /** Power Platform RBAC grants; absent unless ELEVATE_RBAC_CLIENT_ID is set. */
  grants?: GrantDeps;
  /** The audit log's keys and anchors (`audit anchor`). */
  auditIntegrity: AuditIntegrityDeps;
  signIn: SignIn;
  stepUp: StepUpSignIn;
  conversations: ConversationDirectory;
  background: BackgroundTasks;
  logger: Logger;
  /** Standing access: inventory, sweep, watchdog (issue #15). */
  standing: StandingAccessServices;
  /** The download link of an `audit <elevation id>` export on Elevate's own host (issue #16). */
  activityExportUrl: (id: string, format: 'csv' | 'json') => string;
}

export interface StandingAccessServices {
  deps: StandingAccessDeps;
  /** An unguessable id for an export link (128 random bits, base64url). */
  newExportId: () => string;
  /** The download link of an export on Elevate's own host. */
  exportUrl: (id: string, format: 'csv' | 'json') => string;
}
