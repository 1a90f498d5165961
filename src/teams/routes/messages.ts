import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { parseCommand, resolveRole, type Command } from '../../domain/command.js';
import { StepUpRequiredError } from '../../domain/errors.js';
import { helpCard, messageCard, signInNeededCard, statusCard } from '../cards/elevation-cards.js';
import { latestFailed, retryElevation, type RetryOutcome } from '../../use-cases/retry-elevation.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import { eligibleRoleNames } from '../../use-cases/start-request.js';
import { deactivateElevation } from '../../use-cases/deactivate-elevation.js';
import { deactivationCard } from '../cards/deactivation-card.js';
import { requestCard } from './request-flow.js';
import type { TeamsServices } from '../services.js';
import { turnUser } from '../host/turn-user.js';
import { handleAudit, handleAuditAnchor } from './audit-command.js';
import { handleApprovalsHere, handleNotifyHere } from './notify-here.js';

type Handler<K extends Command['kind']> = (services: TeamsServices, context: TurnContext, command: Extract<Command, { kind: K }>) => Promise<void>;

async function sendCard(context: TurnContext, card: object): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

const elevate: Handler<'elevate'> = async (services, context, command) => {
  const user = turnUser(context);
  if (!user || !(await services.signIn.ensureSignedIn(context, context.activity.text ?? ''))) return;
  const roleId = command.role ? resolveRole(command.role)?.id : undefined;
  await sendCard(
    context,
    await requestCard(services, user, {
      environment: command.environment,
      ...(roleId ? { roleId } : {}),
      ...(command.duration ? { durationMinutes: command.duration.minutes } : {}),
      ...(command.justification ? { justification: command.justification } : {}),
      ...(command.tickets[0] ? { ticketNumber: command.tickets[0] } : {}),
    }),
  );
};

const status: Handler<'status'> = async (services, context) => {
  const user = turnUser(context);
  if (!user) return;
  if (!(await services.signIn.ensureSignedIn(context, 'status'))) return;
  const records = await services.elevation.store.listElevationsByRequester(user.aadObjectId);
  const eligible = await eligibleRoleNames(services.elevation, user.aadObjectId);
  await sendCard(
    context,
    statusCard(
      records.map((r) => r.value),
      services.elevation.clock.now(),
      eligible,
    ),
  );
};

function retryRefusalCard(outcome: Exclude<RetryOutcome, { kind: 'restarted' }>) {
  if (outcome.kind === 'stillPending')
    return messageCard({
      title: 'Still waiting for PIM approval',
      text: 'PIM still waits for an approver: nothing was sent again. Say `retry` once it is approved.',
    });
  if (outcome.kind === 'notRetryable' && outcome.reason !== 'already retried' && outcome.reason !== 'not failed')
    return messageCard({
      title: 'This elevation cannot be retried',
      text: `${outcome.record.failure?.message ?? 'Its approval no longer covers it.'} Type \`elevate me in ${outcome.record.environment.displayName}\` for a new request.`,
    });
  return messageCard({ title: 'Nothing to retry', text: 'That elevation is already being retried.' });
}

/** `retry`: continue the requester's latest failed elevation (its card shows the progress). */
const retry: Handler<'retry'> = async (services, context) => {
  const user = turnUser(context);
  if (!user) return;
  const failed = await latestFailed(services.elevation, user.aadObjectId);
  if (!failed)
    return sendCard(
      context,
      messageCard({ title: 'Nothing to retry', text: 'You have no failed elevation. Type `elevate me in <environment>` to start one.' }),
    );
  if (!(await services.signIn.ensureSignedIn(context, 'retry'))) return;
  const outcome = await retryElevation(services.elevation, user.aadObjectId, failed.id);
  if (outcome.kind !== 'restarted') return sendCard(context, retryRefusalCard(outcome));
  await sendCard(context, messageCard({ title: `Retrying in ${failed.environment.displayName}`, text: 'The request card above shows the progress.' }));
  services.background.run(`elevation ${failed.id}`, () => runElevation(services.elevation, failed.id));
};

/** `deactivate`: end the requester's newest active elevation now (its PIM role) and clean up. */
const deactivate: Handler<'deactivate'> = async (services, context) => {
  const user = turnUser(context);
  if (!user) return;
  const active = (await services.elevation.store.listElevationsByRequester(user.aadObjectId)).find((r) => r.value.state === 'active');
  if (!active) return sendCard(context, messageCard({ title: 'Nothing to deactivate', text: 'You have no active elevation.' }));
  if (!(await services.signIn.ensureSignedIn(context, 'deactivate'))) return;
  await sendCard(context, deactivationCard(services, await deactivateElevation(services.elevation, user.aadObjectId, active.value.id)));
};

const HANDLERS: { [K in Command['kind']]: Handler<K> } = {
  elevate,
  status,
  help: async (_services, context) => sendCard(context, helpCard()),
  notifyHere: handleNotifyHere,
  approvalsHere: handleApprovalsHere,
  audit: handleAudit,
  auditAnchor: handleAuditAnchor,
  retry,
  cancel: async (_services, context) => sendCard(context, messageCard({ title: 'Cancel', text: 'Use **Cancel** on the request card you want to abandon.' })),
  deactivate,
  invalid: async (_services, context, command) =>
    sendCard(context, messageCard({ title: 'I did not understand that', text: `${command.message} Type \`help\` for the commands.` })),
  unknown: async (_services, context) =>
    sendCard(
      context,
      messageCard({ title: 'I did not understand that', text: 'Type `help` to see what Elevate can do, for example `elevate me in Contoso Prod`.' }),
    ),
};

/** Text messages (1:1, group chat and channel @mentions): parse, then one handler per command. */
export function registerMessageRoutes(app: Application<TurnState>, services: TeamsServices): void {
  app.activity('message', async (context) => {
    const { id, conversation } = context.activity;
    if (id && !(await services.elevation.store.claimOnce(`activity:${conversation.id}:${id}`, services.elevation.clock.now()))) {
      services.logger.info({ activityId: id }, 'duplicate message delivery ignored');
      return;
    }
    await services.conversations.remember(context.activity);
    await runCommand(services, context, context.activity.text ?? '');
  });
}

/** Parses and runs one command; also used to replay the message that started sign-in. */
/** Commands that show or change one person's elevations: answered only in a 1:1 chat, never in front of a channel. */
const PERSONAL_ONLY: ReadonlySet<Command['kind']> = new Set(['elevate', 'status', 'retry', 'deactivate', 'cancel', 'audit', 'auditAnchor']);

export async function runCommand(services: TeamsServices, context: TurnContext, text: string): Promise<void> {
  const command = parseCommand(text, services.elevation.clock.now(), timezoneOffset(context));
  const conversationType = context.activity.conversation.conversationType;
  if (PERSONAL_ONLY.has(command.kind) && conversationType !== undefined && conversationType !== 'personal') {
    await sendCard(
      context,
      messageCard({
        title: "Let's do this in private",
        text: 'Send me this in a 1:1 chat with Elevate: elevations and audit events are not shown in channels or group chats.',
      }),
    );
    return;
  }
  try {
    await (HANDLERS[command.kind] as Handler<typeof command.kind>)(services, context, command);
  } catch (error) {
    const oid = context.activity.from.aadObjectId;
    if (!(error instanceof StepUpRequiredError) || !oid) throw error;
    // Consent or MFA that silent SSO cannot give: an interactive sign-in, then this command runs again.
    const url = await services.stepUp.url(
      oid,
      { kind: 'command', text, conversationId: context.activity.conversation.id },
      {
        reason: error.reason,
        ...(error.claims ? { claims: error.claims } : {}),
      },
    );
    await sendCard(context, signInNeededCard(error.reason, url));
  }
}

/** Minutes east of UTC from the Teams `localTimestamp` (for `until 17:00`), 0 when absent. */
function timezoneOffset(context: TurnContext): number {
  const raw = (context.activity as { rawLocalTimestamp?: string }).rawLocalTimestamp;
  const match = raw?.match(/([+-])(\d{2}):(\d{2})$/);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}
