import assert from 'node:assert/strict';
import { RBAC_READER } from '../../../../src/domain/rbac.js';
import { grantChoices } from '../../../../src/use-cases/grants/grant-choices.js';
import { lookUpScope } from '../../../../src/use-cases/grants/grant-targets.js';
import { ADELE, FakeRbac, FINANCE, FINANCE_EMEA, grantDeps } from './grant-fakes.js';

const userToken = async () => 'user-token';
const group = (name: string) => ({ kind: 'environmentGroup' as const, name });

describe('use case: environment group scopes resolved by name from the API, like environments', () => {
  it('finds a group by exact name, id, unique prefix or a name typed loosely', async () => {
    const { deps } = grantDeps(new FakeRbac());
    for (const typed of ['Finance', 'finance', FINANCE.id, 'Finance  EMEA', 'finance-emea', 'EMEA']) {
      const found = await lookUpScope(deps, group(typed), userToken);
      assert.equal(found.kind, 'found', typed);
    }
    assert.deepEqual(await lookUpScope(deps, group('Finance'), userToken), {
      kind: 'found',
      scope: { kind: 'environmentGroup', id: FINANCE.id, displayName: 'Finance' },
    });
  });

  it('answers an ambiguous name with the candidates and an unknown one with near names', async () => {
    const { deps } = grantDeps(new FakeRbac());
    assert.deepEqual(await lookUpScope(deps, group('Fin'), userToken), {
      kind: 'ambiguousScope',
      candidates: ['environment group Finance', 'environment group Finance EMEA'],
    });
    const unknown = await lookUpScope(deps, group('Finanse'), userToken);
    assert.equal(unknown.kind, 'unknownScope');
    assert.ok(unknown.kind === 'unknownScope' && unknown.suggestions.includes('environment group Finance'));
  });

  it('offers on the request card only the listed groups the policy rules allow', async () => {
    const { deps } = grantDeps(new FakeRbac());
    deps.settings = {
      ...deps.settings,
      policy: { rules: [{ name: 'finance-only', match: { scopeKinds: ['environmentGroup'], scopeNamePattern: 'Finance' }, maximumDuration: 'PT2H' }] },
    };
    const outcome = await grantChoices(deps, {
      requester: { aadObjectId: ADELE, name: 'Adele Vance' },
      command: { target: { kind: 'me' }, role: RBAC_READER },
      userToken,
    });
    assert.equal(outcome.kind, 'choices');
    const keys = outcome.kind === 'choices' ? outcome.choices.scopes.map((s) => s.key) : [];
    assert.deepEqual(keys, [`environmentGroup:${FINANCE.id}`], `not ${FINANCE_EMEA.displayName}, not the tenant, not an environment`);
  });
});
