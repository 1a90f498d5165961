import assert from 'node:assert/strict';
import { MAX_COMMAND_LENGTH, parseCommand, resolveRole, type Command } from '../../../src/domain/command.js';
import { DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../../src/domain/roles.js';

/** Monday 2 March 2026, 15:00 UTC. */
const NOW = new Date('2026-03-02T15:00:00Z');

interface Case {
  name: string;
  text: string;
  expected: Command;
  /** Requester's time zone, minutes east of UTC. */
  offset?: number;
}

const elevate = (environment: string, rest: Partial<Omit<Extract<Command, { kind: 'elevate' }>, 'kind' | 'environment'>> = {}): Command => ({
  kind: 'elevate',
  environment,
  tickets: [],
  ...rest,
});
const WHICH_ENVIRONMENT = /^Which environment\?/;

const ELEVATE_CASES: Case[] = [
  { name: 'reads the environment after "elevate me in"', text: 'elevate me in Contoso Prod', expected: elevate('Contoso Prod') },
  { name: 'ignores the case of keywords and keeps the name as typed', text: 'ELEVATE Me IN contoso PROD', expected: elevate('contoso PROD') },
  { name: 'accepts "elevate <env>" without "me in"', text: 'elevate Contoso Prod', expected: elevate('Contoso Prod') },
  { name: 'accepts "elevate me <env>" without "in"', text: 'elevate me Contoso Prod', expected: elevate('Contoso Prod') },
  { name: 'accepts "into" and a slash in front', text: '/elevate me into Contoso Prod', expected: elevate('Contoso Prod') },
  {
    name: 'reads every clause in the documented order',
    text: 'elevate me in Contoso Prod as Power Platform admin for 2h because deploying the hotfix INC0012345',
    expected: elevate('Contoso Prod', {
      role: 'Power Platform admin',
      duration: { minutes: 120, source: '2h' },
      justification: 'deploying the hotfix',
      tickets: ['INC0012345'],
    }),
  },
  {
    name: 'reads clauses in any order',
    text: 'Elevate me FOR 90m AS ga IN Contoso Prod BECAUSE fixing flows',
    expected: elevate('Contoso Prod', { role: 'ga', duration: { minutes: 90, source: '90m' }, justification: 'fixing flows' }),
  },
  {
    name: 'lets "because" run to the end of the message, keywords included',
    text: 'elevate me in Contoso Prod because the import failed for 2h as usual',
    expected: elevate('Contoso Prod', { justification: 'the import failed for 2h as usual' }),
  },
  { name: 'reads minutes in words', text: 'elevate me in prod for 45 minutes', expected: elevate('prod', { duration: { minutes: 45, source: '45 minutes' } }) },
  { name: 'reads decimal hours', text: 'elevate me in prod for 1.5 hours', expected: elevate('prod', { duration: { minutes: 90, source: '1.5 hours' } }) },
  { name: 'reads compact hours and minutes', text: 'elevate me in prod for 1h30m', expected: elevate('prod', { duration: { minutes: 90, source: '1h30m' } }) },
  {
    name: 'reads minutes after hours without a unit',
    text: 'elevate me in prod for 1h30',
    expected: elevate('prod', { duration: { minutes: 90, source: '1h30' } }),
  },
  {
    name: 'reads "2 hours and 30 minutes"',
    text: 'elevate me in prod for 2 hours and 30 minutes as ga',
    expected: elevate('prod', { role: 'ga', duration: { minutes: 150, source: '2 hours and 30 minutes' } }),
  },
  { name: 'reads "an hour"', text: 'elevate me in prod for an hour', expected: elevate('prod', { duration: { minutes: 60, source: 'an hour' } }) },
  {
    name: 'resolves "until 17:00" in UTC by default',
    text: 'elevate me in prod for until 17:00',
    expected: elevate('prod', { duration: { minutes: 120, source: 'until 17:00' } }),
  },
  {
    name: 'resolves "until" in the requester\'s time zone',
    text: 'elevate me in prod until 17:00',
    offset: 60,
    expected: elevate('prod', { duration: { minutes: 60, source: 'until 17:00' } }),
  },
  {
    name: 'resolves a past "until" time to the next day',
    text: 'elevate me in prod until 14:00',
    expected: elevate('prod', { duration: { minutes: 1380, source: 'until 14:00' } }),
  },
  {
    name: 'resolves "until 5pm" west of UTC',
    text: 'elevate me in prod until 5pm',
    offset: -300,
    expected: elevate('prod', { duration: { minutes: 420, source: 'until 5pm' } }),
  },
  {
    name: 'refuses a number without a unit',
    text: 'elevate me in prod for 2',
    expected: {
      kind: 'invalid',
      reason: 'badDuration',
      detail: '2',
      message: 'I could not read the duration "2". Try for example "for 90m", "for 2h", "for 1h30m" or "until 17:00".',
    },
  },
  {
    name: 'refuses a number too large to be a duration',
    text: 'elevate me in prod for 123456h',
    expected: { kind: 'invalid', reason: 'badDuration', message: '' },
  },
  {
    name: 'refuses "until" without a time',
    text: 'elevate me in prod until tomorrow',
    expected: {
      kind: 'invalid',
      reason: 'badDuration',
      detail: 'until tomorrow',
      message: 'I could not read the duration "until tomorrow". Try for example "for 90m", "for 2h", "for 1h30m" or "until 17:00".',
    },
  },
  {
    name: 'keeps "for" in a name when no duration follows it',
    text: 'elevate me in Center for Excellence for 2h',
    expected: elevate('Center for Excellence', { duration: { minutes: 120, source: '2h' } }),
  },
  { name: 'keeps a second "in" in the name', text: 'elevate me in Sales in Europe', expected: elevate('Sales in Europe') },
  {
    name: 'keeps keywords literal inside double quotes',
    text: 'elevate me in "Contoso as Prod" as global',
    expected: elevate('Contoso as Prod', { role: 'global' }),
  },
  {
    name: 'treats Teams typographic quotes as quotes',
    text: 'elevate me in \u201CContoso for Prod\u201D for 2h',
    expected: elevate('Contoso for Prod', { duration: { minutes: 120, source: '2h' } }),
  },
  { name: 'reads an unquoted "as" as the role clause', text: 'elevate me in Contoso as Prod', expected: elevate('Contoso', { role: 'Prod' }) },
  {
    name: 'accepts a Dataverse host as the environment',
    text: 'elevate me in contoso-prod.crm.dynamics.com',
    expected: elevate('contoso-prod.crm.dynamics.com'),
  },
  { name: 'accepts non-ASCII names', text: 'elevate me in Zürich Sales as d365', expected: elevate('Zürich Sales', { role: 'd365' }) },
  {
    name: 'drops trailing punctuation and connecting words',
    text: 'elevate me in Contoso Prod, and for 2h.',
    expected: elevate('Contoso Prod', { duration: { minutes: 120, source: '2h' } }),
  },
  { name: 'ignores a trailing "for" with nothing after it', text: 'elevate me in prod for', expected: elevate('prod') },
  {
    name: 'collects ServiceNow ticket ids anywhere, in any case, upper-cased',
    text: 'elevate me in prod inc0012345 for 1h RITM0001234 as ga SCTASK0012345 CHG-42',
    expected: elevate('prod', { role: 'ga', duration: { minutes: 60, source: '1h' }, tickets: ['INC0012345', 'RITM0001234', 'SCTASK0012345', 'CHG-42'] }),
  },
  {
    name: 'collects a Jira key outside the environment name',
    text: 'elevate me in prod for 2h OPS-42',
    expected: elevate('prod', { duration: { minutes: 120, source: '2h' }, tickets: ['OPS-42'] }),
  },
  { name: 'keeps Jira-looking words inside the environment name', text: 'elevate me in Contoso EU-01', expected: elevate('Contoso EU-01') },
  { name: 'takes any id after the word "ticket"', text: 'elevate me in prod ticket 12345', expected: elevate('prod', { tickets: ['12345'] }) },
  {
    name: 'does not repeat a ticket typed twice',
    text: 'elevate me in prod INC-123 because INC-123',
    expected: elevate('prod', { justification: 'INC-123', tickets: ['INC-123'] }),
  },
  {
    name: 'moves trailing ticket ids out of the justification',
    text: 'elevate me in prod because payroll is down (INC-123), CHG-42',
    expected: elevate('prod', { justification: 'payroll is down', tickets: ['INC-123', 'CHG-42'] }),
  },
  {
    name: 'keeps a justification that is only a ticket id',
    text: 'elevate me in prod because INC0012345',
    expected: elevate('prod', { justification: 'INC0012345', tickets: ['INC0012345'] }),
  },
  {
    name: 'keeps ticket ids in the middle of the justification',
    text: 'elevate me in prod because INC-123 broke payroll',
    expected: elevate('prod', { justification: 'INC-123 broke payroll' }),
  },
  {
    name: 'keeps a product version at the end of the justification',
    text: 'elevate me in prod because upgrade to SQL2019',
    expected: elevate('prod', { justification: 'upgrade to SQL2019' }),
  },
  { name: 'accepts "reason:" for "because"', text: 'elevate me in prod reason: audit fix', expected: elevate('prod', { justification: 'audit fix' }) },
  { name: 'asks which environment when "in" has nothing after it', text: 'elevate me in', expected: { kind: 'invalid', reason: 'noEnvironment', message: '' } },
  { name: 'asks which environment for a bare "elevate me"', text: 'elevate me', expected: { kind: 'invalid', reason: 'noEnvironment', message: '' } },
  {
    name: 'asks which environment when only other clauses are given',
    text: 'elevate me as ga for 2h',
    expected: { kind: 'invalid', reason: 'noEnvironment', message: '' },
  },
];

const breakGlass = (environment: string, rest: Partial<Omit<Extract<Command, { kind: 'breakGlass' }>, 'kind' | 'environment'>> = {}): Command => ({
  kind: 'breakGlass',
  environment,
  tickets: [],
  ...rest,
});

const BREAK_GLASS_CASES: Case[] = [
  {
    name: 'reads "now" before because as break glass',
    text: 'elevate me in Contoso Prod now because payments down INC0012345',
    expected: breakGlass('Contoso Prod', { justification: 'payments down', tickets: ['INC0012345'] }),
  },
  { name: 'reads "now" at the end', text: 'elevate me in Contoso Prod now', expected: breakGlass('Contoso Prod') },
  {
    name: 'reads "now" before other clauses',
    text: 'elevate me in Contoso Prod now as power platform for 30m because outage',
    expected: breakGlass('Contoso Prod', { role: 'power platform', duration: { minutes: 30, source: '30m' }, justification: 'outage' }),
  },
  {
    name: 'reads "now" right after "elevate me", before "in"',
    text: 'elevate me now in Contoso Prod because outage',
    expected: breakGlass('Contoso Prod', { justification: 'outage' }),
  },
  {
    name: 'reads the German "jetzt"',
    text: 'erhöhe mich in Contoso Prod jetzt because Ausfall',
    expected: breakGlass('Contoso Prod', { justification: 'Ausfall' }),
  },
  {
    name: 'reads the French "maintenant"',
    text: 'élève-moi dans Contoso Prod maintenant because panne',
    expected: breakGlass('Contoso Prod', { justification: 'panne' }),
  },
  { name: 'keeps "Now" inside a name', text: 'elevate me in Now Platform because test', expected: elevate('Now Platform', { justification: 'test' }) },
  {
    name: 'keeps a quoted "now" as part of the name',
    text: 'elevate me in "Contoso now" because test',
    expected: elevate('Contoso now', { justification: 'test' }),
  },
  {
    name: 'does not read "now" in the justification',
    text: 'elevate me in Contoso Prod because fix it now',
    expected: elevate('Contoso Prod', { justification: 'fix it now' }),
  },
];

const HOSTILE_CASES: Case[] = [
  { name: 'strips a Teams @mention in a channel', text: '<at>Elevate</at> elevate me in Contoso Prod', expected: elevate('Contoso Prod') },
  {
    name: 'decodes HTML entities once',
    text: 'elevate me in R&amp;D&nbsp;Prod because &amp;lt;b&amp;gt;',
    expected: elevate('R&D Prod', { justification: '&lt;b&gt;' }),
  },
  { name: 'strips HTML markup', text: '<p>elevate me in <b>Contoso</b>&nbsp;Prod</p>', expected: elevate('Contoso Prod') },
  {
    name: 'never elevates when markup hides the command word',
    text: '<script>alert(1)</script>elevate me in prod',
    expected: { kind: 'unknown', text: 'alert(1) elevate me in prod' },
  },
  {
    name: 'treats encoded mention tags as plain text',
    text: '&lt;at&gt;Bot&lt;/at&gt; elevate me in prod',
    expected: { kind: 'unknown', text: '<at>Bot</at> elevate me in prod' },
  },
  {
    name: 'keeps template-looking text as data',
    text: 'elevate me in ${process.env.SECRET} because {{x}}',
    expected: elevate('${process.env.SECRET}', { justification: '{{x}}' }),
  },
  {
    name: 'keeps emoji as typed',
    text: 'elevate me in Contoso Prod 🚀 for 1h',
    expected: elevate('Contoso Prod 🚀', { duration: { minutes: 60, source: '1h' } }),
  },
  {
    name: 'strips control, zero-width and bidi characters',
    text: 'elevate\u0000 me in Con\u200Btoso\u202E Prod\r\n\tfor 1h',
    expected: elevate('Contoso Prod', { duration: { minutes: 60, source: '1h' } }),
  },
  { name: 'answers unknown for only whitespace', text: ' \n\t&nbsp; ', expected: { kind: 'unknown', text: '' } },
  { name: 'answers unknown for an empty message', text: '', expected: { kind: 'unknown', text: '' } },
  {
    name: 'refuses an environment name over 200 characters',
    text: `elevate me in ${'a'.repeat(201)}`,
    expected: { kind: 'invalid', reason: 'environmentTooLong', message: 'That environment name is longer than 200 characters.' },
  },
  {
    name: 'refuses a message over the length limit',
    text: `elevate me in ${'a '.repeat(MAX_COMMAND_LENGTH)}`,
    expected: { kind: 'invalid', reason: 'tooLong', message: '' },
  },
];

const OTHER_CASES: Case[] = [
  { name: 'answers help', text: 'help', expected: { kind: 'help' } },
  { name: 'answers help for a question mark', text: '?', expected: { kind: 'help' } },
  { name: 'answers help for a greeting', text: 'Hi there!', expected: { kind: 'help' } },
  { name: 'reads status with punctuation', text: 'STATUS!', expected: { kind: 'status' } },
  { name: 'reads notify here after a channel mention', text: '<at>Elevate</at> notify here', expected: { kind: 'notifyHere' } },
  { name: 'reads retry without an id', text: 'retry', expected: { kind: 'retry' } },
  { name: 'reads retry with a request id', text: 'retry 3f2a-77b1', expected: { kind: 'retry', requestId: '3f2a-77b1' } },
  { name: 'reads "try again"', text: 'Try again', expected: { kind: 'retry' } },
  { name: 'reads cancel', text: 'cancel', expected: { kind: 'cancel' } },
  { name: 'reads "deactivate me"', text: 'Deactivate me.', expected: { kind: 'deactivate' } },
  { name: 'reads audit with a period', text: 'audit 7d', expected: { kind: 'audit', sinceMinutes: 7 * 1440 } },
  { name: 'reads "audit anchor" in any case', text: 'Audit Anchor', expected: { kind: 'auditAnchor' } },
  {
    name: 'reads audit with an id and no period as an elevation id, in lower case',
    text: 'audit 6F1C2A9E-4B7D-4E0A-9C3F-2D8E5B7A1C40',
    expected: { kind: 'auditElevation', id: '6f1c2a9e-4b7d-4e0a-9c3f-2d8e5b7a1c40' },
  },
  {
    name: 'reads audit with a period and an id as a user audit',
    text: 'audit 7d 6f1c2a9e-4b7d-4e0a-9c3f-2d8e5b7a1c40',
    expected: { kind: 'audit', sinceMinutes: 7 * 1440, userId: '6f1c2a9e-4b7d-4e0a-9c3f-2d8e5b7a1c40' },
  },
  {
    name: 'reads audit with a malformed id as an elevation id, for the handler to refuse',
    text: 'audit 12345',
    expected: { kind: 'auditElevation', id: '12345' },
  },
  { name: 'answers unknown for anything else', text: 'what is the weather', expected: { kind: 'unknown', text: 'what is the weather' } },
  { name: 'finds nothing for object property names', text: 'constructor', expected: { kind: 'unknown', text: 'constructor' } },
  { name: 'finds nothing for __proto__', text: '__proto__', expected: { kind: 'unknown', text: '__proto__' } },
  { name: 'answers unknown for retry with something that is not an id', text: 'retry ${x}', expected: { kind: 'unknown', text: 'retry ${x}' } },
];

/** Invalid messages are compared by their opening words; the examples after them may change. */
function assertCommand(actual: Command, expected: Command): void {
  if (expected.kind === 'invalid' && expected.message === '') {
    assert.equal(actual.kind, 'invalid');
    assert.equal(actual.kind === 'invalid' && actual.reason, expected.reason);
    return;
  }
  assert.deepEqual(actual, expected);
}

describe('parseCommand', () => {
  for (const [group, cases] of [
    ['elevate', ELEVATE_CASES],
    ['break glass', BREAK_GLASS_CASES],
    ['hostile input', HOSTILE_CASES],
    ['other commands', OTHER_CASES],
  ] as const) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => {
          // Act
          const command = parseCommand(c.text, NOW, c.offset);
          // Assert
          assertCommand(command, c.expected);
        });
      }
    });
  }

  it('says "Which environment?" when the environment is missing', () => {
    const command = parseCommand('elevate me in', NOW);
    assert.ok(command.kind === 'invalid' && WHICH_ENVIRONMENT.test(command.message), JSON.stringify(command));
  });

  it('says the message is too long instead of reading it', () => {
    const command = parseCommand(`elevate me in prod because ${'x'.repeat(MAX_COMMAND_LENGTH)}`, NOW);
    assert.ok(command.kind === 'invalid' && command.message.includes(`${MAX_COMMAND_LENGTH} characters`), JSON.stringify(command));
  });

  describe('performance on adversarial input', () => {
    const inputs: [string, string][] = [
      ['10 000 characters of text', 'elevate me in ' + 'a'.repeat(10_000)],
      ['a million characters', 'x'.repeat(1_000_000)],
      ['repeated unclosed mention tags', '<at'.repeat(6_000)],
      ['repeated unclosed tags with attributes', '<a b'.repeat(500)],
      ['repeated entity starts', '&#'.repeat(900)],
      ['repeated "for 1" just under the limit', 'elevate me in ' + 'for 1h '.repeat(280)],
      ['repeated unclosed quotes just under the limit', 'elevate me in ' + '"a '.repeat(600)],
      ['many words just under the limit', 'elevate me in ' + 'as in for until '.repeat(120)],
      ['a long run of punctuation', 'elevate me in prod ' + '!'.repeat(1_900) + 'x'],
      ['a long run of spaces and commas', 'elevate me in prod because ' + ', '.repeat(900) + 'x'],
      ['a long justification with tickets', 'elevate me in prod because ' + 'INC-12 '.repeat(270)],
    ];
    for (const [name, text] of inputs) {
      it(`finishes within 50 ms for ${name}`, () => {
        const started = process.hrtime.bigint();
        parseCommand(text, NOW);
        const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
        assert.ok(elapsedMs < 50, `took ${elapsedMs.toFixed(1)} ms`);
      });
    }
  });
});

describe('resolveRole', () => {
  const cases: [string, string | undefined][] = [
    ['Global Administrator', GLOBAL_ADMINISTRATOR],
    ['global admin', GLOBAL_ADMINISTRATOR],
    ['GA', GLOBAL_ADMINISTRATOR],
    ['the Global Admin role', GLOBAL_ADMINISTRATOR],
    ['Power-Platform Admin', POWER_PLATFORM_ADMINISTRATOR],
    ['pp', POWER_PLATFORM_ADMINISTRATOR],
    ['D365', DYNAMICS_365_ADMINISTRATOR],
    ['Dynamics 365 administrator', DYNAMICS_365_ADMINISTRATOR],
    [DYNAMICS_365_ADMINISTRATOR.toUpperCase(), DYNAMICS_365_ADMINISTRATOR],
    ['Exchange Administrator', undefined],
    ['', undefined],
    ['   ', undefined],
    ['admin', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`resolves ${JSON.stringify(text)} to ${expected ?? 'no role'}`, () => {
      assert.equal(resolveRole(text)?.id, expected);
    });
  }

  it('looks only at the roles it is given', () => {
    const roles = [{ id: 'r1', name: 'Custom Role', aliases: ['custom'] }];
    assert.equal(resolveRole('custom', roles)?.id, 'r1');
    assert.equal(resolveRole('global admin', roles), undefined);
  });
});

describe('parseCommand: scheduled elevations (issue #16)', () => {
  /** Monday 2 March 2026, 15:00 UTC. */
  const AT = new Date('2026-03-02T15:00:00Z');

  it('reads a start in the requester zone, with the duration and justification around it', () => {
    assert.deepEqual(parseCommand('elevate me in Contoso Prod tomorrow 22:00 for 3h because CHG-88 release', AT, 60, 'Europe/Berlin'), {
      kind: 'schedule',
      environment: 'Contoso Prod',
      duration: { minutes: 180, source: '3h' },
      justification: 'CHG-88 release',
      tickets: [],
      start: { at: '2026-03-03T21:00:00.000Z', source: 'tomorrow 22:00' },
    });
  });

  it('takes the duration from "from … to …" and counts "until" from the start', () => {
    const window = parseCommand('elevate me in Contoso Prod friday from 22:00 to 01:00 because CHG-9 night release', AT);
    assert.equal(window.kind, 'schedule');
    assert.deepEqual((window as { duration?: unknown }).duration, { minutes: 180, source: 'friday from 22:00 to 01:00' });
    const until = parseCommand('elevate me in Contoso Prod at 18:00 until 19:30 because CHG-9', AT);
    assert.equal((until as { duration?: { minutes: number } }).duration?.minutes, 90);
  });

  it('keeps "at" and weekdays that are part of a name, and refuses past, far and unreadable starts', () => {
    assert.equal(parseCommand('elevate me in Contoso at Home for 1h', AT).kind, 'elevate');
    assert.deepEqual(parseCommand('elevate me in Contoso Prod at 9:00', AT), {
      kind: 'invalid',
      reason: 'pastStart',
      message: 'The start "at 9:00" has passed. Say for example "tomorrow 9:00".',
      detail: 'at 9:00',
    });
    assert.equal((parseCommand('elevate me in Contoso Prod tomorrow 25:00', AT) as { reason?: string }).reason, 'badStart');
    assert.equal((parseCommand('elevate me in Contoso Prod now at 18:00 because INC1', AT) as { reason?: string }).reason, 'startWithNow');
  });

  it('reads "move to <time>", and "move" alone as a request for the usage', () => {
    assert.deepEqual(parseCommand('move to tomorrow 23:00', AT), { kind: 'move', start: { at: '2026-03-03T23:00:00.000Z', source: 'tomorrow 23:00' } });
    assert.deepEqual(parseCommand('move', AT), { kind: 'move' });
    assert.equal((parseCommand('move to soon', AT) as { reason?: string }).reason, 'badStart');
  });
});
