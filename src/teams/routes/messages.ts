import type { GrantSyntaxProblem } from '../../domain/grant-command.js';
import { MAX_COMMAND_LENGTH, MAX_ENVIRONMENT_LENGTH, MAX_ROLE_LENGTH, parseCommand, resolveRole, type Command } from '../../domain/command.js';
import { failureMessage } from '../locale/record-words.js';
import { COMMAND_TABLE } from '../../domain/command-table.js';
import { StepUpRequiredError } from '../../domain/errors.js';
import { helpCard, messageCard, signInNeededCard } from '../cards/elevation-cards.js';
import { statusCard } from '../cards/status-card.js';
import { latestFailed, retryElevation, type RetryOutcome } from '../../use-cases/retry-elevation.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import { activeElevationOf, requesterStatus } from '../../use-cases/requester-status.js';
import { deactivateElevation } from '../../use-cases/deactivate-elevation.js';
import { deactivationCard } from '../cards/deactivation-card.js';
import { requestCard } from './request-flow.js';
import { textsFor, type Texts } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { isPersonal, turnUser, type Turn } from '../turn.js';
import { firstDelivery } from '../../use-cases/first-delivery.js';
import { checkBreakGlass } from '../../use-cases/break-glass.js';
import { handleAudit, handleAuditAnchor, handleAuditElevation } from './audit-command.js';
import { handleApprovalsHere, handleNotifyHere } from './notify-here.js';
import { deactivateGrantCommand, handleGrant, sendGrantStatus } from './grant-command.js';
import { handleInventory, handleSweep } from './standing-access-command.js';
import { handleExtend } from './extend-command.js';
import { handleMove, startRefusalText } from './schedule-actions.js';
import { viewerOf } from '../locale/viewer.js';

type Handler<K extends Command['kind']> = (services: TeamsServices, turn: Turn, command: Extract<Command, { kind: K }>) => Promise<void>;

async function sendCard(turn: Turn, card: object): Promise<void> {
  await turn.send({ card });
}

async function elevate(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'elevate' | 'breakGlass' | 'schedule' }>): Promise<void> {
  const user = turnUser(turn);
  if (!user || !(await services.signIn.ensureSignedIn(turn, turn.text ?? ''))) return;
  const breakGlass = command.kind === 'breakGlass';
  // Break glass: the on-call group is checked now (a clear refusal, audited) and again at submit.
  if (breakGlass) {
    const check = await checkBreakGlass(services.elevation, { aadObjectId: user.aadObjectId, name: user.name }, 'command', {
      environment: command.environment,
    });
    const { breakGlass: b } = textsFor(turn.chat).c;
    if (check.kind === 'notSetUp') return sendCard(turn, messageCard({ title: b.notSetUp, text: b.notSetUpText, tone: 'warning' }));
    if (check.kind === 'notOnCall') return sendCard(turn, messageCard({ title: b.notOnCall, text: b.notOnCallText, tone: 'attention' }));
  }
  const roleId = command.role ? resolveRole(command.role)?.id : undefined;
  await sendCard(
    turn,
    await requestCard(
      services,
      user,
      {
        environment: command.environment,
        ...(roleId ? { roleId } : {}),
        ...(command.duration ? { durationMinutes: command.duration.minutes } : {}),
        ...(command.justification ? { justification: command.justification } : {}),
        ...(command.tickets[0] ? { ticketNumber: command.tickets[0] } : {}),
        ...(breakGlass ? { breakGlass: true } : {}),
        ...(command.kind === 'schedule' ? { startAt: command.start.at, timeZone: viewerOf(turn.chat).timeZone } : {}),
      },
      textsFor(turn.chat),
    ),
  );
}

const status: Handler<'status'> = async (services, turn) => {
  const user = turnUser(turn);
  if (!user) return;
  if (!(await services.signIn.ensureSignedIn(turn, 'status'))) return;
  const { records, eligibleRoles, deactivations } = await requesterStatus(services.elevation, user.aadObjectId);
  await sendCard(turn, statusCard(records, services.elevation.clock.now(), eligibleRoles, deactivations, textsFor(turn.chat)));
  await sendGrantStatus(services, turn, user.aadObjectId);
};

function retryRefusalCard(outcome: Exclude<RetryOutcome, { kind: 'restarted' }>, texts: Texts) {
  const c = texts.c.chat;
  if (outcome.kind === 'stillPending') return messageCard({ title: c.stillPending, text: c.stillPendingSay });
  if (outcome.kind === 'notRetryable' && outcome.reason !== 'already retried' && outcome.reason !== 'not failed')
    return messageCard({
      title: c.cannotRetry,
      text: texts.fill(c.cannotRetryText, {
        reason: outcome.record.failure ? failureMessage(outcome.record.failure, texts) : c.approvalNoLongerCovers,
        environment: outcome.record.environment.displayName,
      }),
    });
  return messageCard({ title: c.nothingToRetry, text: c.alreadyRetried });
}

/** `retry`: continue the requester's latest failed elevation (its card shows the progress). */
const retry: Handler<'retry'> = async (services, turn) => {
  const user = turnUser(turn);
  if (!user) return;
  const texts = textsFor(turn.chat);
  const c = texts.c.chat;
  const failed = await latestFailed(services.elevation, user.aadObjectId);
  if (!failed) return sendCard(turn, messageCard({ title: c.nothingToRetry, text: c.noFailed }));
  if (!(await services.signIn.ensureSignedIn(turn, 'retry'))) return;
  const outcome = await retryElevation(services.elevation, user.aadObjectId, failed.id);
  if (outcome.kind !== 'restarted') return sendCard(turn, retryRefusalCard(outcome, texts));
  await sendCard(turn, messageCard({ title: texts.fill(c.retrying, { environment: failed.environment.displayName }), text: c.retryingText }));
  services.background.run(`elevation ${failed.id}`, () => runElevation(services.elevation, failed.id));
};

/** `deactivate`: end the requester's newest active elevation now (its PIM role) and clean up. */
const deactivate: Handler<'deactivate'> = async (services, turn) => {
  const user = turnUser(turn);
  if (!user) return;
  const texts = textsFor(turn.chat);
  const active = await activeElevationOf(services.elevation, user.aadObjectId);
  // No elevation: the requester's Power Platform RBAC grant, if any (grant-command.ts).
  if (!active) return deactivateGrantCommand(services, turn, user.aadObjectId);
  if (!(await services.signIn.ensureSignedIn(turn, 'deactivate'))) return;
  await sendCard(turn, deactivationCard(services, await deactivateElevation(services.elevation, user.aadObjectId, active.id), texts));
};

/** What a message Elevate could not read says, in the reader's language (the parser's reason, not its English text). */
function invalidCard(command: Extract<Command, { kind: 'invalid' }>, texts: Texts) {
  const c = texts.c.chat;
  // "elevate me" with no environment was understood: it only lacks the environment.
  if (command.reason === 'noEnvironment') return messageCard({ title: c.whichEnvironment, text: c.sayForExample });
  const why = {
    tooLong: texts.fill(c.tooLong, { max: MAX_COMMAND_LENGTH }),
    environmentTooLong: texts.fill(c.environmentTooLong, { max: MAX_ENVIRONMENT_LENGTH }),
    roleTooLong: texts.fill(c.roleTooLong, { max: MAX_ROLE_LENGTH }),
    badDuration: texts.fill(c.badDuration, { typed: command.detail ?? '' }),
    grantSyntax: grantSyntaxText(command.detail, texts),
    badStart: startRefusalText('badStart', command.detail ?? '', texts),
    pastStart: startRefusalText('pastStart', command.detail ?? '', texts),
    tooFarAhead: startRefusalText('tooFarAhead', command.detail ?? '', texts),
    startWithNow: startRefusalText('startWithNow', command.detail ?? '', texts),
  }[command.reason];
  return messageCard({ title: c.didNotUnderstand, text: texts.fill(c.typeHelp, { message: why }) });
}

const HANDLERS: { [K in Command['kind']]: Handler<K> } = {
  elevate: (services, turn, command) => elevate(services, turn, command),
  breakGlass: (services, turn, command) => elevate(services, turn, command),
  schedule: (services, turn, command) => elevate(services, turn, command),
  move: async (services, turn, command) => {
    if (await services.signIn.ensureSignedIn(turn, turn.text ?? '')) await handleMove(services, turn, command);
  },
  grant: handleGrant,
  status,
  help: async (_services, turn) => sendCard(turn, helpCard(textsFor(turn.chat))),
  notifyHere: handleNotifyHere,
  approvalsHere: handleApprovalsHere,
  audit: handleAudit,
  auditElevation: handleAuditElevation,
  auditAnchor: handleAuditAnchor,
  inventory: handleInventory,
  sweep: handleSweep,
  retry,
  cancel: async (_services, turn) => {
    const { chat: c } = textsFor(turn.chat).c;
    await sendCard(turn, messageCard({ title: c.cancelTitle, text: c.cancelText }));
  },
  deactivate,
  extend: handleExtend,
  invalid: async (_services, turn, command) => sendCard(turn, invalidCard(command, textsFor(turn.chat))),
  unknown: async (_services, turn) => {
    const { chat: c } = textsFor(turn.chat).c;
    await sendCard(turn, messageCard({ title: c.didNotUnderstand, text: c.unknownText }));
  },
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

/** Commands that show or change one person's elevations (the table's `personal` ones): answered only in a 1:1 chat, never in front of a channel. */
const PERSONAL_ONLY: ReadonlySet<Command['kind']> = new Set<Command['kind']>([
  ...COMMAND_TABLE.filter((entry) => entry.place === 'personal').map((entry) => entry.id),
  'cancel',
]);

/** Parses and runs one command; also used to replay the message that started sign-in. */
export async function runCommand(services: TeamsServices, turn: Turn, text: string): Promise<void> {
  // Starts are read in the requester's IANA zone when Teams sent one (DST-correct), else at the message's UTC offset.
  const command = parseCommand(text, services.elevation.clock.now(), turn.utcOffsetMinutes, turn.chat.timezone ? viewerOf(turn.chat).timeZone : undefined);
  if (PERSONAL_ONLY.has(command.kind) && !isPersonal(turn)) {
    await sendCard(turn, messageCard({ title: textsFor(turn.chat).c.chat.private, text: textsFor(turn.chat).c.chat.privateText }));
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
    await sendCard(turn, signInNeededCard(error.reason, url, textsFor(turn.chat)));
  }
}

/** Why a grant command could not be read (grant-command.ts's problem), in the reader's words. */
function grantSyntaxText(problem: string | undefined, texts: Texts): string {
  const g = texts.c.grant;
  const said: Record<GrantSyntaxProblem, string> = {
    badDuration: g.parseBadDuration,
    syntax: g.parseSyntax,
    whichRole: g.parseWhichRole,
    whichScope: g.parseWhichScope,
  };
  return said[problem as GrantSyntaxProblem] ?? g.parseSyntax;
}
