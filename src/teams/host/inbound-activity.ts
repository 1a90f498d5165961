/**
 * The shape an inbound Bot Framework activity must have before Elevate spends any work on it
 * (authentication included). botbuilder's CloudAdapter only checks that the body is an object with a
 * string `type`, and throws on `{}`, which restify answers 500 (api-contracts §7); the rest
 * (`conversation`, `from`, `recipient`, entities) is read later without checks, so a non-string
 * `text` or an entity without `type` failed deep inside a turn. A malformed body is answered 400
 * without looking at its token: nothing is done with it.
 *
 * The fields checked are those of the Bot Framework activity schema (botframework-schema `Activity`,
 * learn.microsoft.com "Bot Framework Activity schema") that botbuilder, teams-ai or Elevate read:
 * Teams always sends `type`, `channelId`, `serviceUrl`, `from`, `recipient` and `conversation`
 * (msteams-docs, conversation-basics.md). Optional fields must be absent or of their type; `null`
 * counts as a wrong type (Bot Framework serializers omit empty fields instead).
 */
export type ActivityProblem = string;

type Json = Record<string, unknown>;

const MAX_ID_LENGTH = 1024;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max = MAX_ID_LENGTH): value is string {
  return typeof value === 'string' && value.length <= max;
}

function optionalText(value: Json, field: string, max = MAX_ID_LENGTH): ActivityProblem | undefined {
  return field in value && value[field] !== undefined && !isText(value[field], max) ? `${field} must be text` : undefined;
}

/**
 * Bot Framework and Teams ids are printable ASCII ("29:…", "a:…", "19:…@thread.tacv2;messageid=…",
 * "f:<guid>"). botbuilder puts them in connector URLs (`encodeURIComponent` throws on a lone
 * surrogate) and headers (`x-ms-conversation-id`: Node refuses control characters).
 */
const ID = /^[\x20-\x7e]{1,1024}$/;
/** Entra object ids are GUIDs (Graph `/users/{id}` refuses anything else). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function optionalId(value: Json, field: string): ActivityProblem | undefined {
  return field in value && value[field] !== undefined && !(typeof value[field] === 'string' && ID.test(value[field]))
    ? `${field} must be printable text`
    : undefined;
}

/** `{ id: string, ... }` with the optional text fields given. */
function account(value: unknown, field: string, optional: readonly string[] = []): ActivityProblem | undefined {
  if (!isObject(value)) return `${field} must be an object`;
  if (typeof value['id'] !== 'string' || !ID.test(value['id'])) return `${field}.id must be printable text`;
  if ('aadObjectId' in value && value['aadObjectId'] !== undefined && !(typeof value['aadObjectId'] === 'string' && GUID.test(value['aadObjectId']))) {
    return `${field}.aadObjectId must be a GUID`;
  }
  for (const name of optional) {
    const problem = optionalText(value, name);
    if (problem) return `${field}.${problem}`;
  }
  return undefined;
}

/** Required: botbuilder compares the token's `serviceurl` claim only when the activity has a serviceUrl (api-contracts §7). */
function serviceUrlProblem(value: unknown): ActivityProblem | undefined {
  if (!isText(value, 2048)) return 'serviceUrl must be text';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'serviceUrl must be an http(s) URL';
  } catch {
    return 'serviceUrl must be a URL';
  }
}

/**
 * Entities are read by botbuilder's mention removal (`TurnContext.removeMentionText`): each needs a
 * `type`, a mention its `mentioned.id` and `text`, and a message with a mention its own `text`.
 */
function entitiesProblem(value: unknown, text: unknown): ActivityProblem | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return 'entities must be a list';
  for (const entity of value) {
    if (!isObject(entity) || !isText(entity['type'])) return 'each entity must be an object with a type';
    if (entity['type'].toLowerCase() !== 'mention') continue;
    if (account(entity['mentioned'], 'mentioned') !== undefined || !isText(entity['text'])) return 'a mention entity needs mentioned.id and text';
    if (typeof text !== 'string') return 'an activity with a mention needs text';
  }
  return undefined;
}

function listOfObjects(value: Json, field: string): ActivityProblem | undefined {
  const list = value[field];
  if (list === undefined) return undefined;
  return Array.isArray(list) && list.every(isObject) ? undefined : `${field} must be a list of objects`;
}

function optionalObject(value: Json, field: string): ActivityProblem | undefined {
  return field in value && value[field] !== undefined && !isObject(value[field]) ? `${field} must be an object` : undefined;
}

/** Why `body` is not an activity Elevate can take in, or undefined when its shape is fine. Pure. */
export function activityProblem(body: unknown): ActivityProblem | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  if (!isText(body['type'], 64) || body['type'] === '') return 'type must be text';
  if (!isText(body['channelId'], 64) || body['channelId'] === '') return 'channelId must be text';
  return (
    serviceUrlProblem(body['serviceUrl']) ??
    account(body['from'], 'from', ['name']) ??
    account(body['recipient'], 'recipient', ['name']) ??
    account(body['conversation'], 'conversation', ['tenantId', 'conversationType', 'name']) ??
    optionalId(body, 'id') ??
    optionalText(body, 'name', 256) ??
    optionalId(body, 'replyToId') ??
    optionalText(body, 'text', 64 * 1024) ??
    optionalText(body, 'locale', 64) ??
    optionalText(body, 'timestamp', 64) ??
    optionalText(body, 'localTimestamp', 64) ??
    entitiesProblem(body['entities'], body['text']) ??
    listOfObjects(body, 'attachments') ??
    listOfObjects(body, 'membersAdded') ??
    listOfObjects(body, 'membersRemoved') ??
    optionalObject(body, 'channelData')
  );
}
