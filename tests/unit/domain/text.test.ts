import assert from 'node:assert/strict';
import {
  bareWord,
  cleanMessageText,
  foldText,
  joinClause,
  looseTicketId,
  splitTrailingTickets,
  ticketId,
  tokenize,
  trimEndPunctuation,
} from '../../../src/domain/text.js';

describe('cleanMessageText', () => {
  const cases: [string, string, string][] = [
    ['removes a Teams @mention with its name', '<at>Elevate</at> status', 'status'],
    ['removes a mention with attributes', '<at id="0">Elevate Bot</at>&nbsp;help', 'help'],
    ['removes HTML tags but keeps their text', '<div><p>elevate <b>me</b></p></div>', 'elevate me'],
    ['decodes named entities', 'R&amp;D &lt;Prod&gt; &quot;x&quot; &apos;y&apos;', 'R&D <Prod> "x" \'y\''],
    ['decodes numeric entities', '&#90;&#xFC;rich', 'Zürich'],
    ['decodes only once', '&amp;lt;at&amp;gt;', '&lt;at&gt;'],
    ['keeps unknown entities as typed', '&bogus; &', '&bogus; &'],
    ['drops entities for invalid code points', 'a&#0;b&#xD800;c&#1114112;d', 'abcd'],
    ['drops control characters', 'a\u0000b\u0007c\u001Bd\u007Fe', 'abcde'],
    ['drops zero-width and bidi characters', 'Con\u200Btoso\u202E \u2066Prod\uFEFF', 'Contoso Prod'],
    ['turns line breaks and tabs into spaces', 'a\r\nb\tc', 'a b c'],
    ['collapses Unicode spaces', 'a\u00A0\u2003 b\u3000c', 'a b c'],
    ['unifies typographic double quotes', '\u201CContoso\u201D \u201EProd\u201C', '"Contoso" "Prod"'],
    ['composes decomposed accents', 'Zu\u0308rich', 'Zürich'],
    ['trims', '   status   ', 'status'],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => {
      assert.equal(cleanMessageText(raw), expected);
    });
  }
});

describe('foldText', () => {
  const cases: [string, string][] = [
    ['Zürich Sales', 'zurich sales'],
    ['  Contoso-Prod.  ', 'contoso prod'],
    ['Straße', 'strasse'],
    ['Crème Brûlée', 'creme brulee'],
    ['Prod 🚀', 'prod'],
    ['ＰＲＯＤ', 'prod'],
    ['', ''],
  ];
  for (const [text, expected] of cases) {
    it(`folds ${JSON.stringify(text)} to ${JSON.stringify(expected)}`, () => {
      assert.equal(foldText(text), expected);
    });
  }
});

describe('tokenize', () => {
  const cases: [string, string, [string, boolean][]][] = [
    [
      'splits on spaces',
      'elevate me in prod',
      [
        ['elevate', false],
        ['me', false],
        ['in', false],
        ['prod', false],
      ],
    ],
    [
      'keeps a quoted phrase as one token',
      'in "Contoso as Prod" now',
      [
        ['in', false],
        ['Contoso as Prod', true],
        ['now', false],
      ],
    ],
    [
      'runs an unterminated quote to the end',
      'in "Contoso Prod',
      [
        ['in', false],
        ['Contoso Prod', true],
      ],
    ],
    [
      'drops empty quotes',
      'a "" b',
      [
        ['a', false],
        ['b', false],
      ],
    ],
    ['answers nothing for empty text', '', []],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      assert.deepEqual(
        tokenize(text).map((t) => [t.text, t.quoted]),
        expected,
      );
    });
  }

  it('records where each token ends, closing quote included', () => {
    assert.deepEqual(
      tokenize('a "b c" d').map((t) => [t.start, t.end]),
      [
        [0, 1],
        [2, 7],
        [8, 9],
      ],
    );
  });
});

describe('bareWord and trimEndPunctuation', () => {
  const cases: [string, string][] = [
    ['(INC-123),', 'INC-123'],
    ['#INC-123', 'INC-123'],
    ['2h.', '2h'],
    ['"Prod"', 'Prod'],
    ['?', ''],
    ['plain', 'plain'],
  ];
  for (const [word, expected] of cases) {
    it(`strips ${JSON.stringify(word)} to ${JSON.stringify(expected)}`, () => {
      assert.equal(bareWord(word), expected);
    });
  }

  it('trims only the given characters from the end', () => {
    assert.equal(trimEndPunctuation('Prod!?.'), 'Prod');
    assert.equal(trimEndPunctuation('fix - ', ' -'), 'fix');
    assert.equal(trimEndPunctuation('.Prod'), '.Prod');
  });
});

describe('ticketId', () => {
  const cases: [string, 'known' | 'dashed' | 'any', string | undefined][] = [
    ['INC0012345', 'known', 'INC0012345'],
    ['inc-123', 'known', 'INC-123'],
    ['CHG-42', 'known', 'CHG-42'],
    ['RITM0001234', 'known', 'RITM0001234'],
    ['sctask0012345,', 'known', 'SCTASK0012345'],
    ['INC-1', 'any', undefined],
    ['OPS-42', 'known', undefined],
    ['OPS-42', 'dashed', 'OPS-42'],
    ['ops-42', 'any', undefined],
    ['ABC1234', 'dashed', undefined],
    ['ABC1234', 'any', 'ABC1234'],
    ['EU-01', 'known', undefined],
    ['D365', 'any', undefined],
    ['PT8H', 'any', undefined],
    ['Contoso', 'any', undefined],
  ];
  for (const [word, strictness, expected] of cases) {
    it(`reads ${word} (${strictness}) as ${expected ?? 'no ticket'}`, () => {
      assert.equal(ticketId(word, strictness), expected);
    });
  }
});

describe('looseTicketId', () => {
  const cases: [string, string | undefined][] = [
    ['12345', '12345'],
    ['cs-2024/17', 'CS-2024/17'],
    ['#42.', '42'],
    ['payroll', undefined],
    ['<b>1</b>', undefined],
    ['', undefined],
  ];
  for (const [word, expected] of cases) {
    it(`reads ${JSON.stringify(word)} after "ticket" as ${expected ?? 'no ticket'}`, () => {
      assert.equal(looseTicketId(word), expected);
    });
  }
});

describe('joinClause', () => {
  const cases: [string[], string][] = [
    [['Contoso', 'Prod'], 'Contoso Prod'],
    [['Contoso', 'Prod,', 'and'], 'Contoso Prod'],
    [['with', 'global', 'admin.'], 'global admin'],
    [['Research', 'and', 'Development'], 'Research and Development'],
    [['contoso-prod.crm.dynamics.com'], 'contoso-prod.crm.dynamics.com'],
    [['and', ','], ''],
    [[], ''],
  ];
  for (const [words, expected] of cases) {
    it(`joins ${JSON.stringify(words)} as ${JSON.stringify(expected)}`, () => {
      assert.equal(joinClause(words), expected);
    });
  }
});

describe('splitTrailingTickets', () => {
  const cases: [string, string, string[]][] = [
    ['payroll is down', 'payroll is down', []],
    ['payroll is down INC-123', 'payroll is down', ['INC-123']],
    ['payroll is down (INC-123), CHG-42', 'payroll is down', ['INC-123', 'CHG-42']],
    ['payroll is down - ticket OPS-42', 'payroll is down', ['OPS-42']],
    ['INC-123 broke payroll', 'INC-123 broke payroll', []],
    ['upgrade to SQL2019', 'upgrade to SQL2019', []],
    ['INC0012345', 'INC0012345', ['INC0012345']],
    ['', '', []],
  ];
  for (const [text, expected, tickets] of cases) {
    it(`splits ${JSON.stringify(text)}`, () => {
      assert.deepEqual(splitTrailingTickets(text), { text: expected, tickets });
    });
  }
});
