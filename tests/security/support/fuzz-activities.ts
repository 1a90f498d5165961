import { baseActivity, invokeActivity, messageActivity, type ActivityContext, type TeamsActivity } from '../../harness/activities.js';

/**
 * Randomized and mutated Teams activities for the fuzzer: mostly well-formed activities of signed-in
 * users (so that hostile values reach Elevate's handlers, past the shape check and the gate), mutated
 * with junk of every kind; some malformed on purpose. Deterministic for a seed (mulberry32).
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: Random, max: number): number => Math.floor(random() * max);
const pick = <T>(random: Random, list: readonly T[]): T => list[int(random, list.length)] as T;

const VERBS = [
  'elevate.submit',
  'elevate.cancel',
  'elevate.retry',
  'elevate.start',
  'elevate.deactivate',
  'elevate.deactivateLater',
  'elevate.approve',
  'elevate.deny',
  'elevate.refreshCard',
  'elevate.approvalRefresh',
  'elevate.activate',
  'elevate.pimApprove',
  'elevate.pimDeny',
  'elevate.continue',
  'elevate.sweepConfirm',
  'elevate.sweepCancel',
];
const COMMANDS = [
  'help',
  'status',
  'elevate me in Contoso Dev',
  'elevate me in Contoso Prod as Power Platform Administrator for 1h because INC-1 fix',
  'elevate me in nowhere',
  'retry',
  'deactivate',
  'cancel',
  'audit',
  'audit anchor',
  'approvals here',
  'notify here',
  'elevate me in Contoso Dev until 25:99',
  'elevate me in Contoso Dev for 99999999 days',
];
const INVOKE_NAMES = [
  'adaptiveCard/action',
  'signin/tokenExchange',
  'signin/verifyState',
  'composeExtension/query',
  'task/fetch',
  'config/fetch',
  'fileConsent/invoke',
];
const TYPES = [
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'event',
  'typing',
  'endOfConversation',
  'messageUpdate',
  'messageDelete',
  'trace',
  'x',
];
const STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e',
  '\ud800',
  '🔥💥',
  'null',
  'undefined',
  '[object Object]',
  '<at>Elevate</at>',
  '${7*7}',
  '{{user}}',
  "'; DROP TABLE x;--",
  '../../etc/passwd',
  '%00',
  '\r\n',
  'ꙮ',
];

/** Any JSON value, nested up to `depth`. */
export function junk(random: Random, depth = 3): unknown {
  const kind = int(random, depth > 0 ? 9 : 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1e308, -1e-308, 2 ** 53 + 1, 42.5]);
    case 3:
      return pick(random, STRINGS);
    case 4:
      return longString(random);
    case 5:
      return String.fromCodePoint(...Array.from({ length: 1 + int(random, 40) }, () => int(random, 0x110000)));
    case 6:
      return Array.from({ length: int(random, 5) }, () => junk(random, depth - 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: int(random, 5) }, () => [
          pick(random, ['__proto__', 'constructor', 'requestId', 'verb', 'id', 'type', 'token', 'x']),
          junk(random, depth - 1),
        ]),
      );
    default:
      return { action: { type: 'Action.Execute', verb: pick(random, VERBS), data: junk(random, depth - 1) } };
  }
}

function longString(random: Random): string {
  const length = pick(random, [100, 1_000, 10_000, 60_000]);
  return pick(random, ['a', '🔥', '\u0301', ' ', 'x\n']).repeat(length).slice(0, length);
}

function cardActionValue(random: Random): unknown {
  const data =
    random() < 0.3
      ? junk(random)
      : {
          requestId: random() < 0.5 ? junk(random, 1) : '00000000-0000-4000-8000-000000000000',
          roleId: junk(random, 1),
          duration: junk(random, 1),
          justification: junk(random, 1),
          reason: junk(random, 1),
        };
  const verb = random() < 0.8 ? pick(random, VERBS) : junk(random, 1);
  return random() < 0.9
    ? { action: { type: random() < 0.9 ? 'Action.Execute' : junk(random, 0), verb, data }, trigger: pick(random, ['manual', 'automatic']) }
    : junk(random);
}

function template(random: Random, ctx: ActivityContext): TeamsActivity {
  const roll = random();
  if (roll < 0.35) return messageActivity(ctx, random() < 0.6 ? pick(random, COMMANDS) : String(junk(random, 0)));
  if (roll < 0.75) return invokeActivity(ctx, 'adaptiveCard/action', cardActionValue(random), `${int(random, 1e9)}`);
  if (roll < 0.85)
    return invokeActivity(
      ctx,
      pick(random, INVOKE_NAMES),
      random() < 0.5 ? { id: junk(random, 0), connectionName: 'x', token: junk(random, 0) } : junk(random),
    );
  return { ...baseActivity(ctx, pick(random, TYPES), `${int(random, 1e12)}`), value: junk(random) };
}

/** Paths the mutations may change: fields Elevate, botbuilder or teams-ai read. */
const FIELDS = [
  'text',
  'name',
  'value',
  'replyToId',
  'locale',
  'timestamp',
  'localTimestamp',
  'textFormat',
  'attachments',
  'entities',
  'channelData',
  'membersAdded',
  'id',
];
const DEEP = [
  ['from', 'name'],
  ['from', 'aadObjectId'],
  ['conversation', 'conversationType'],
  ['conversation', 'tenantId'],
  ['conversation', 'name'],
  ['channelData', 'tenant'],
  ['channelData', 'team'],
  ['recipient', 'name'],
] as const;

/** Text-valued fields: junk text keeps the activity well formed, so it reaches the handlers. */
const TEXT_FIELDS = ['text', 'replyToId', 'locale', 'textFormat', 'id'];

function junkText(random: Random, field = 'text'): string {
  const value = junk(random, 0);
  if (field === 'text' && random() < 0.3) return longString(random);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Keeps the activity's shape (what inbound-activity.ts checks): hostile values for the handlers. */
function mutateValue(random: Random, copy: Record<string, unknown>): void {
  const roll = random();
  if (roll < 0.35) {
    const field = pick(random, TEXT_FIELDS);
    copy[field] = junkText(random, field);
  } else if (roll < 0.55) copy['value'] = random() < 0.5 ? cardActionValue(random) : junk(random);
  else if (roll < 0.7) {
    const [outer, inner] = pick(random, DEEP);
    copy[outer] = { ...(copy[outer] as object), [inner]: junk(random, 1) };
  } else if (roll < 0.8)
    copy['entities'] = [
      { type: 'mention', text: junkText(random), mentioned: { id: `28:${junkText(random)}` } },
      ...(Array.isArray(copy['entities']) ? (copy['entities'] as unknown[]) : []),
    ];
  else if (roll < 0.9) copy[junkText(random).slice(0, 40) || 'extra'] = junk(random);
  else copy['channelData'] = { ...(copy['channelData'] as object), [pick(random, ['tenant', 'team', 'channel', 'eventType', 'settings'])]: junk(random, 2) };
}

/** Breaks the shape: Elevate must answer 400 before any work. */
function mutateShape(random: Random, copy: Record<string, unknown>): void {
  if (random() < 0.4) delete copy[pick(random, [...FIELDS, 'type', 'from', 'conversation', 'recipient', 'serviceUrl', 'channelId'])];
  else if (random() < 0.6) copy[pick(random, ['type', 'from', 'conversation', 'recipient', 'serviceUrl', 'channelId'])] = junk(random, 1);
  else copy[pick(random, FIELDS)] = junk(random);
}

function mutate(random: Random, activity: TeamsActivity): TeamsActivity {
  const copy: Record<string, unknown> = structuredClone(activity);
  if (random() < 0.85) mutateValue(random, copy);
  else mutateShape(random, copy);
  return copy as TeamsActivity;
}

/** One fuzzed activity: a template of one of `contexts`, mutated 0 to 3 times. */
export function fuzzedActivity(random: Random, contexts: readonly ActivityContext[]): TeamsActivity {
  let activity = template(random, pick(random, contexts));
  const mutations = int(random, 4);
  for (let i = 0; i < mutations; i++) activity = mutate(random, activity);
  return activity;
}

/** Invoke names Elevate answers itself; botbuilder answers 501 (Not Implemented) for any other, by protocol. */
export const HANDLED_INVOKES: ReadonlySet<string> = new Set(['adaptiveCard/action', 'signin/tokenExchange', 'signin/verifyState']);
