import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { loadPolicyFile, parsePolicy, PolicyFileError } from '../../../../src/adapters/policy/policy-file.js';

describe('Elevate policy file: standingAccess.expected (issue #15)', () => {
  it('reads the example file’s expected emergency account', () => {
    assert.deepEqual(loadPolicyFile('env/elevate-policy.example.yaml').standingAccess, {
      expected: [{ name: 'break-glass', accounts: ['breakglass@contoso.example'] }],
    });
  });

  it('keeps environment criteria and lower-cases accounts', () => {
    const policy = parsePolicy(
      'p.yaml',
      stringify({
        standingAccess: {
          expected: [
            {
              name: 'svc',
              environmentTypes: ['production'],
              environmentNamePattern: 'Contoso *',
              accounts: ['SVC@Contoso.example', 'A0000000-0000-4000-8000-00000000ADE1'],
            },
          ],
        },
      }),
    );
    assert.deepEqual(policy.standingAccess?.expected, [
      {
        name: 'svc',
        environmentTypes: ['Production'],
        environmentNamePattern: 'Contoso *',
        accounts: ['svc@contoso.example', 'a0000000-0000-4000-8000-00000000ade1'],
      },
    ]);
  });

  it('refuses an account that is neither an id nor a UPN, an empty list and unknown fields, naming the field', () => {
    for (const [entry, field] of [
      [{ name: 'x', accounts: ['breakglass'] }, 'standingAccess.expected[0].accounts[0]'],
      [{ name: 'x', accounts: [] }, 'standingAccess.expected[0].accounts'],
      [{ name: 'x', accounts: ['a@b.c'], roleIds: [] }, 'standingAccess.expected[0]'],
    ] as const) {
      assert.throws(
        () => parsePolicy('p.yaml', stringify({ standingAccess: { expected: [entry] } })),
        (error: unknown) => error instanceof PolicyFileError && error.message.includes(field),
      );
    }
  });
});
