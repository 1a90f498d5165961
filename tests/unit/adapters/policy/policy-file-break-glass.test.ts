import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { parsePolicy, PolicyFileError } from '../../../../src/adapters/policy/policy-file.js';

const GROUP = '0CA11000-0000-4000-8000-000000000010';

describe('Elevate policy file: the breakGlass section (issue #16)', () => {
  it('reads the on-call groups (lower-cased, once each), the maximum and the tag to mention', () => {
    const policy = parsePolicy(
      'p.yaml',
      stringify({ breakGlass: { onCallGroupIds: [GROUP, GROUP.toLowerCase()], maximumDuration: 'PT1H', mentionTag: { id: 'dGFn', name: 'Security team' } } }),
    );
    assert.deepEqual(policy.breakGlass, {
      onCallGroupIds: [GROUP.toLowerCase()],
      maximumDuration: 'PT1H',
      mentionTag: { id: 'dGFn', name: 'Security team' },
    });
  });

  it('leaves break glass off without the section', () => {
    assert.equal(parsePolicy('p.yaml', stringify({ defaults: {} })).breakGlass, undefined);
  });

  const refused: [string, unknown, RegExp][] = [
    ['no group', { onCallGroupIds: [], maximumDuration: 'PT1H' }, /breakGlass\.onCallGroupIds must list at least one/],
    ['a group that is not an object id', { onCallGroupIds: ['on-call'], maximumDuration: 'PT1H' }, /breakGlass\.onCallGroupIds\[0\] must be a GUID/],
    ['an unreadable maximum', { onCallGroupIds: [GROUP], maximumDuration: '1 hour' }, /breakGlass\.maximumDuration must be an ISO 8601 duration/],
    ['a maximum over a day', { onCallGroupIds: [GROUP], maximumDuration: 'PT25H' }, /breakGlass\.maximumDuration must be between PT5M and PT24H/],
    ['no maximum', { onCallGroupIds: [GROUP] }, /breakGlass\.maximumDuration is required/],
    ['an unknown field', { onCallGroupIds: [GROUP], maximumDuration: 'PT1H', skipPimApproval: true }, /breakGlass\.skipPimApproval is not a known field/],
  ];
  for (const [title, section, message] of refused) {
    it(`refuses ${title}, naming the field`, () => {
      assert.throws(
        () => parsePolicy('p.yaml', stringify({ breakGlass: section })),
        (error: unknown) => error instanceof PolicyFileError && message.test(error.message),
      );
    });
  }
});
