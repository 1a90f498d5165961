import { parseCommand, resolveRole, type Command } from '../../domain/command.js';
import { StepUpRequiredError } from '../../domain/errors.js';
import { helpCard, messageCard, signInNeededCard, statusCard } from '../cards/elevation-cards.js';
import { latestFailed, retryElevation, type RetryOutcome } from '../../use-cases/retry-elevation.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import { activeElevationOf, requesterStatus } from '../../use-cases/requester-status.js';
import { deactivateElevation } from '../../use-cases/deactivate-elevation.js';
import { deactivationCard } from '../cards/deactivation-card.js';
import { requestCard } from './request-flow.js';
import type { TeamsServices } from '../services.js';
import { isPersonal, turnUser, type Turn } from '../turn.js';
import { firstDelivery } from '../../use-cases/first-delivery.js';
import { handleAudit, handleAuditAnchor } from './audit-command.js';
import { handleApprovalsHere, handleNotifyHere } from './notify-here.js';
import { deactivateGrantCommand, handleGrant, sendGrantStatus } from './grant-command.js';

type Handler<K extends Command['kind']> = (services: TeamsServices, turn: Turn, command: Extract<Command, { kind: K }>) => Promise<void>;

async function sendCard(turn: Turn, card: object): Promise<void> {
  await turn.send({ card });
}

const elevate: Handler<'elevate'> = async (services, turn, command) => {
  const user = turnUser(turn);
  if (!user || !(await services.signIn.ensureSignedIn(turn, turn.text ?? ''))) return;
  const roleId = command.role ? resolveRole(command.role)?.id : undefined;
  await sendCard(
    turn,
    await requestCard(services, user, {
      environment: command.environment,
      ...(roleId ? { roleId } : {}),
      ...(command.duration ? { durationMinutes: command.duration.minutes } : {}),
      ...(command.justification ? { justification: command.justification } : {}),
      ...(command.tickets[0] ? { ticketNumber: command.tickets[0] } : {}),
    }),
  );
};

const status: Handler<'status'> = async (services, turn) => {
  const user = turnUser(turn);
  if (!user) return;
  if (!(await services.signIn.ensureSignedIn(turn, 'status'))) return;
  const { records, eligibleRoles } = await requesterStatus(services.elevation, user.aadObjectId);
  await sendCard(turn, statusCard(records, services.elevation.clock.now(), eligibleRoles));
  await sendGrantStatus(services, turn, user.aadObjectId);
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
const retry: Handler<'retry'> = async (services, turn) => {
  const user = turnUser(turn);
  if (!user) return;
  const failed = await latestFailed(services.elevation, user.aadObjectId);
  if (!failed)
    return sendCard(turn, messageCard({ title: 'Nothing to retry', text: 'You have no failed elevation. Type `elevate me in <environment>` to start one.' }));
  if (!(await services.signIn.ensureSignedIn(turn, 'retry'))) return;
  const outcome = await retryElevation(services.elevation, user.aadObjectId, failed.id);
  if (outcome.kind !== 'restarted') return sendCard(turn, retryRefusalCard(outcome));
  await sendCard(turn, messageCard({ title: `Retrying in ${failed.environment.displayName}`, text: 'The request card above shows the progress.' }));
  services.background.run(`elevation ${failed.id}`, () => runElevation(services.elevation, failed.id));
};

/** `deactivate`: end the requester's newest active elevation now (its PIM role) and clean up. */
const deactivate: Handler<'deactivate'> = async (services, turn) => {
  const user = turnUser(turn);
  if (!user) return;
  const active = await activeElevationOf(services.elevation, user.aadObjectId);
  // No elevation: the requester's Power Platform RBAC grant, if any (grant-command.ts).
  if (!active) return deactivateGrantCommand(services, turn, user.aadObjectId);
  if (!(await services.signIn.ensureSignedIn(turn, 'deactivate'))) return;
  await sendCard(turn, deactivationCard(services, await deactivateElevation(services.elevation, user.aadObjectId, active.id)));
};

const HANDLERS: { [K in Command['kind']]: Handler<K> } = {
  elevate,
  grant: handleGrant,
  status,
  help: async (_services, turn) => sendCard(turn, helpCard()),
  notifyHere: handleNotifyHere,
  approvalsHere: handleApprovalsHere,
  audit: handleAudit,
  auditAnchor: handleAuditAnchor,
  retry,
  cancel: async (_services, turn) => sendCard(turn, messageCard({ title: 'Cancel', text: 'Use **Cancel** on the request card you want to abandon.' })),
  deactivate,
  invalid: async (_services, turn, command) =>
    sendCard(turn, messageCard({ title: 'I did not understand that', text: `${command.message} Type \`help\` for the commands.` })),
  unknown: async (_services, turn) =>
    sendCard(
      turn,
      messageCard({ title: 'I did not understand that', text: 'Type `help` to see what Elevate can do, for example `elevate me in Contoso Prod`.' }),
    ),
};

/**
 * A text message (1:1, group chat and channel @mentions): once per activity id (Teams redelivers),
 * then parse and one handler per command.
 */
export async function onMessage(services: TeamsServices, turn: Turn): Promise<void> {
  if (!(await firstDelivery(services.elevation, turn.chat.conversationId, turn.activityId))) {
    services.logger.info({ activityId: turn.activityId }, 'duplicate message delivery ignored');
    return;
  }
  await services.conversations.remember(turn.chat);
  await runCommand(services, turn, turn.text);
}

/** Commands that show or change one person's elevations: answered only in a 1:1 chat, never in front of a channel. */
const PERSONAL_ONLY: ReadonlySet<Command['kind']> = new Set(['elevate', 'grant', 'status', 'retry', 'deactivate', 'cancel', 'audit', 'auditAnchor']);

/** Parses and runs one command; also used to replay the message that started sign-in. */
export async function runCommand(services: TeamsServices, turn: Turn, text: string): Promise<void> {
  const command = parseCommand(text, services.elevation.clock.now(), turn.utcOffsetMinutes);
  if (PERSONAL_ONLY.has(command.kind) && !isPersonal(turn)) {
    await sendCard(
      turn,
      messageCard({
        title: "Let's do this in private",
        text: 'Send me this in a 1:1 chat with Elevate: elevations and audit events are not shown in channels or group chats.',
      }),
    );
    return;
  }
  try {
    await (HANDLERS[command.kind] as Handler<typeof command.kind>)(services, turn, command);
  } catch (error) {
    const oid = turn.from.aadObjectId;
    if (!(error instanceof StepUpRequiredError) || !oid) throw error;
    // Consent or MFA that silent SSO cannot give: an interactive sign-in, then this command runs again.
    const url = await services.stepUp.url(
      oid,
      { kind: 'command', text, conversationId: turn.chat.conversationId },
      {
        reason: error.reason,
        ...(error.claims ? { claims: error.claims } : {}),
      },
    );
    await sendCard(turn, signInNeededCard(error.reason, url));
  }
}
