import type { Logger } from 'pino';
import type { AuditIntegrityDeps } from '../use-cases/audit-integrity.js';
import type { ElevationDeps } from '../use-cases/deps.js';
import type { BackgroundTasks } from '../jobs/background-tasks.js';
import type { Messenger } from './chat.js';
import type { ConversationDirectory } from './channels/conversations.js';
import type { SignIn } from './sign-in/teams-sso.js';
import type { StepUpSignIn } from './sign-in/step-up.js';

/** What the Teams routes use; built once in `main.ts`. */
export interface TeamsServices {
  /** Proactive messages (host/messenger.ts over the Bot Framework). */
  messenger: Messenger;
  botId: string;
  securityGroupId: string;
  /** The Entra tenant Elevate serves (AAD_APP_TENANT_ID). */
  tenantId: string;
  elevation: ElevationDeps;
  /** The audit log's keys and anchors (`audit anchor`). */
  auditIntegrity: AuditIntegrityDeps;
  signIn: SignIn;
  stepUp: StepUpSignIn;
  conversations: ConversationDirectory;
  background: BackgroundTasks;
  logger: Logger;
}
