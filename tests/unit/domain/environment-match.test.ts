import assert from 'node:assert/strict';
import type { EnvironmentRef } from '../../../src/domain/environment.js';
import { editDistance, matchEnvironment } from '../../../src/domain/environment-match.js';

const PROD: EnvironmentRef = {
  id: '0b6c5a1e-0000-4000-8000-000000000001',
  displayName: 'Contoso Prod',
  type: 'Production',
  url: 'https://contosoprod.crm.dynamics.com/',
  domainName: 'contosoprod',
};
const DEV: EnvironmentRef = {
  id: '0b6c5a1e-0000-4000-8000-000000000002',
  displayName: 'Contoso Dev',
  type: 'Sandbox',
  url: 'https://contosodev.crm.dynamics.com/',
  domainName: 'contosodev',
};
const ZURICH: EnvironmentRef = {
  id: '0b6c5a1e-0000-4000-8000-000000000003',
  displayName: 'Zürich Sales',
  url: 'https://zurichsales.crm4.dynamics.com/',
  domainName: 'zurichsales',
};
const DEFAULT: EnvironmentRef = { id: 'Default-4d3c2b1a-0f9e-4d8c-b7a6-958473625140', displayName: 'Contoso (default)', domainName: 'orgabc123' };
const FABRIKAM: EnvironmentRef = { id: '0b6c5a1e-0000-4000-8000-000000000005', displayName: 'Fabrikam Prod', domainName: 'fabrikamprod' };
const CENTER: EnvironmentRef = { id: '0b6c5a1e-0000-4000-8000-000000000006', displayName: 'Center for Excellence' };
const ENVIRONMENTS = [PROD, DEV, ZURICH, DEFAULT, FABRIKAM, CENTER];

type Expected = { match: EnvironmentRef } | { ambiguous: EnvironmentRef[] } | { none: EnvironmentRef[] };

const cases: [string, string, Expected, EnvironmentRef[]?][] = [
  ['matches an exact display name', 'Contoso Prod', { match: PROD }],
  ['ignores case and extra spaces', '  contoso   PROD ', { match: PROD }],
  ['ignores diacritics', 'zurich sales', { match: ZURICH }],
  ['ignores punctuation in names', 'contoso-prod', { match: PROD }],
  ['matches a name without its spaces', 'ContosoProd', { match: PROD }],
  ['matches the id', '0B6C5A1E-0000-4000-8000-000000000002', { match: DEV }],
  ['matches a default environment id', 'default-4d3c2b1a-0f9e-4d8c-b7a6-958473625140', { match: DEFAULT }],
  ['matches the domain name', 'contosodev', { match: DEV }],
  ['matches the Dataverse host', 'contosoprod.crm.dynamics.com', { match: PROD }],
  ['matches the Dataverse URL with a path', 'https://contosoprod.crm.dynamics.com/main.aspx?appid=1', { match: PROD }],
  ['matches a host in another region by its domain name', 'zurichsales.crm4.dynamics.com', { match: ZURICH }],
  ['matches a unique prefix', 'fab', { match: FABRIKAM }],
  ['matches a unique prefix without diacritics', 'Zur', { match: ZURICH }],
  ['matches a whole word when only one name has it', 'Excellence', { match: CENTER }],
  ['matches a name with a keyword inside', 'Center for Excellence', { match: CENTER }],
  ['drops "the" and "environment" around a name', 'the Contoso Prod environment', { match: PROD }],
  ['prefers the exact name over a longer name with the same start', 'Contoso (default)', { match: DEFAULT }],
  ['calls a shared prefix ambiguous, sorted by name', 'Contoso', { ambiguous: [DEFAULT, DEV, PROD] }],
  ['calls a shared word ambiguous', 'Prod', { ambiguous: [PROD, FABRIKAM] }],
  [
    'calls two environments with the same name ambiguous',
    'Twin',
    {
      ambiguous: [
        { id: 'a', displayName: 'Twin' },
        { id: 'b', displayName: 'twin' },
      ],
    },
    [
      { id: 'a', displayName: 'Twin' },
      { id: 'b', displayName: 'twin' },
    ],
  ],
  ['suggests the name behind a typo', 'Contso Prod', { none: [PROD] }],
  ['suggests the name behind a transposition', 'Cnotoso Dev', { none: [DEV] }],
  ['suggests names whose word is close', 'prd', { none: [PROD, FABRIKAM] }],
  ['suggests a name typed with extra words first', 'Contoso Prod please', { none: [PROD] }],
  [
    'suggests at most three names, closest first',
    'Contoso Prof',
    { none: [PROD, { id: 'x', displayName: 'Contoso Prox' }, DEV] },
    [DEFAULT, DEV, { id: 'x', displayName: 'Contoso Prox' }, PROD],
  ],
  ['suggests nothing for an unrelated name', 'Northwind Traders', { none: [] }],
  ['does not match a one-letter prefix', 'f', { none: [] }],
  ['answers none for an empty query', '   ', { none: [] }],
  ['answers none without environments', 'Contoso Prod', { none: [] }, []],
  ['never matches environments outside the list by id', '0b6c5a1e-0000-4000-8000-000000000099', { none: [] }],
];

describe('matchEnvironment', () => {
  for (const [name, query, expected, environments = ENVIRONMENTS] of cases) {
    it(name, () => {
      // Act
      const result = matchEnvironment(query, environments);
      // Assert
      if ('match' in expected) assert.deepEqual(result, { kind: 'match', environment: expected.match });
      else if ('ambiguous' in expected) assert.deepEqual(result, { kind: 'ambiguous', candidates: expected.ambiguous });
      else assert.deepEqual(result, { kind: 'none', suggestions: expected.none });
    });
  }

  it('stays fast for a long query against many environments', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: `env-${i}`, displayName: `Environment number ${i} ${'x'.repeat(80)}` }));
    const started = process.hrtime.bigint();
    matchEnvironment('y'.repeat(2_000), many);
    matchEnvironment('Environment numbr 12', many);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(elapsedMs < 1_000, `took ${elapsedMs.toFixed(0)} ms`);
  });
});

describe('editDistance', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['contoso', 'contoso', 0],
    ['contso', 'contoso', 1],
    ['cnotoso', 'contoso', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ];
  for (const [a, b, expected] of cases) {
    it(`counts ${expected} edits from "${a}" to "${b}"`, () => {
      assert.equal(editDistance(a, b), expected);
    });
  }
});
