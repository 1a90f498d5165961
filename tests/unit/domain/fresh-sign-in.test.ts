import assert from 'node:assert/strict';
import { castVote, openApproval, type ApprovalPolicy, type ApprovalState } from '../../../src/domain/approval.js';
import { policyProblems, type ElevatePolicy, type PolicyMatch } from '../../../src/domain/elevate-policy.js';
import {
  AUTHENTICATION_CONTEXT_ID,
  ISSUED_AT_SKEW_MS,
  claimsChallenge,
  proofDetails,
  proveFreshSignIn,
  type SignInEvidence,
  type VoteProof,
} from '../../../src/domain/fresh-sign-in.js';
import { freshSignInWarnings } from '../../../src/domain/fresh-sign-in-policy.js';
import { GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../../src/domain/roles.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
const NESTOR = 'a0000000-0000-4000-8000-00000000e570';
const C1 = { authenticationContext: 'c1' };
const TAP = new Date('2026-12-06T14:02:00.500Z');

const evidence = (overrides: Partial<SignInEvidence> = {}): SignInEvidence => ({
  objectId: MEGAN,
  acrs: ['c1'],
  issuedAt: '2026-12-06T14:02:41.000Z',
  ...overrides,
});

const freshPolicy = (overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy => ({
  required: true,
  approverGroupIds: [],
  approverUserIds: [MEGAN, NESTOR],
  approvalsRequired: 1,
  pendingTimeoutMinutes: 60,
  freshSignIn: C1,
  ...overrides,
});

const PROOF: VoteProof = { method: 'freshSignIn', authenticationContext: 'c1', signedInAt: '2026-12-06T14:02:41.000Z' };

describe('proveFreshSignIn', () => {
  it("proves an Approve with the tapper's token that carries the context and was issued after the tap", () => {
    const check = proveFreshSignIn(C1, MEGAN, TAP, evidence());

    assert.deepEqual(check, { ok: true, proof: PROOF });
  });

  const refusals: { title: string; evidence: Partial<SignInEvidence>; reason: string }[] = [
    { title: "another user's token", evidence: { objectId: NESTOR }, reason: 'otherUser' },
    { title: 'a token without acrs', evidence: { acrs: [] }, reason: 'missingContext' },
    { title: 'a token with another authentication context', evidence: { acrs: ['c2', 'c10'] }, reason: 'missingContext' },
    { title: 'a token issued ten minutes before the tap', evidence: { issuedAt: '2026-12-06T13:52:00.000Z' }, reason: 'issuedBeforeTap' },
    { title: 'a token without iat', evidence: { issuedAt: undefined }, reason: 'issuedBeforeTap' },
    { title: "another user's token without acrs (who comes first)", evidence: { objectId: NESTOR, acrs: [] }, reason: 'otherUser' },
  ];
  for (const c of refusals) {
    it(`refuses ${c.title}`, () => {
      assert.deepEqual(proveFreshSignIn(C1, MEGAN, TAP, evidence(c.evidence)), { ok: false, reason: c.reason });
    });
  }

  it("tolerates Entra's whole-second iat and a clock a little apart, but not more", () => {
    const sameSecond = proveFreshSignIn(C1, MEGAN, TAP, evidence({ issuedAt: '2026-12-06T14:02:00.000Z' }));
    const justInside = proveFreshSignIn(C1, MEGAN, TAP, evidence({ issuedAt: new Date(TAP.getTime() - ISSUED_AT_SKEW_MS).toISOString() }));
    const outside = proveFreshSignIn(C1, MEGAN, TAP, evidence({ issuedAt: new Date(TAP.getTime() - ISSUED_AT_SKEW_MS - 1000).toISOString() }));

    assert.equal(sameSecond.ok, true);
    assert.equal(justInside.ok, true);
    assert.deepEqual(outside, { ok: false, reason: 'issuedBeforeTap' });
  });

  it('compares object ids and context ids without regard to case', () => {
    assert.equal(proveFreshSignIn({ authenticationContext: 'C1' }, MEGAN.toUpperCase(), TAP, evidence()).ok, true);
  });
});

describe('claimsChallenge', () => {
  it("asks for the context as an essential acrs of the access token, as Entra's developer guide spells it", () => {
    assert.equal(claimsChallenge({ authenticationContext: 'c7' }), '{"access_token":{"acrs":{"essential":true,"value":"c7"}}}');
  });
});

describe('authentication context ids', () => {
  for (const [id, valid] of [
    ['c1', true],
    ['c99', true],
    ['c0', false],
    ['c100', false],
    ['C1', false],
    ['c01', false],
    ['urn:c1', false],
  ] as const) {
    it(`${valid ? 'accepts' : 'refuses'} ${id}`, () => assert.equal(AUTHENTICATION_CONTEXT_ID.test(id), valid));
  }
});

describe('castVote with a fresh sign-in requirement', () => {
  const opened = (): ApprovalState => openApproval(freshPolicy(), 'prod', new Date('2026-12-06T14:00:00Z'));
  const now = new Date('2026-12-06T14:03:00Z');

  it('copies the requirement onto the approval, so a later policy change cannot weaken a waiting request', () => {
    assert.deepEqual(opened().freshSignIn, C1);
  });

  it('asks an approver for the sign-in instead of counting a plain Approve', () => {
    assert.deepEqual(castVote(opened(), { approverId: MEGAN, decision: 'approve' }, ADELE, true, now), { ok: false, reason: 'freshSignInRequired' });
  });

  it('counts an Approve with a proof, and keeps the proof on the vote', () => {
    const result = castVote(opened(), { approverId: MEGAN, decision: 'approve', proof: PROOF }, ADELE, true, now);

    assert.ok(result.ok);
    assert.equal(result.state.status, 'approved');
    assert.deepEqual(result.state.votes[0]?.proof, PROOF);
  });

  it('refuses a proof made for another authentication context', () => {
    const result = castVote(opened(), { approverId: MEGAN, decision: 'approve', proof: { ...PROOF, authenticationContext: 'c2' } }, ADELE, true, now);

    assert.deepEqual(result, { ok: false, reason: 'freshSignInRequired' });
  });

  it('never asks for a sign-in on a Deny', () => {
    const result = castVote(opened(), { approverId: NESTOR, decision: 'deny', reason: 'release freeze' }, ADELE, true, now);

    assert.ok(result.ok);
    assert.equal(result.state.status, 'denied');
  });

  it('tells the requester, a non-approver and a late approver why first, never sending them to sign in', () => {
    const decided = castVote(opened(), { approverId: MEGAN, decision: 'approve', proof: PROOF }, ADELE, true, now);
    assert.ok(decided.ok);

    assert.deepEqual(castVote(opened(), { approverId: ADELE, decision: 'approve' }, ADELE, false, now), { ok: false, reason: 'selfApproval' });
    assert.deepEqual(castVote(opened(), { approverId: NESTOR, decision: 'approve' }, ADELE, false, now), { ok: false, reason: 'notApprover' });
    assert.deepEqual(castVote(decided.state, { approverId: NESTOR, decision: 'approve' }, ADELE, true, now), { ok: false, reason: 'alreadyDecided' });
  });

  it('keeps no proof on a vote of an approval without the requirement', () => {
    const plain = openApproval(freshPolicy({ freshSignIn: undefined }), 'prod', new Date('2026-12-06T14:00:00Z'));
    const result = castVote(plain, { approverId: MEGAN, decision: 'approve' }, ADELE, true, now);

    assert.ok(result.ok);
    assert.equal(result.state.votes[0]?.proof, undefined);
    assert.equal('freshSignIn' in plain, false);
  });
});

describe('proofDetails', () => {
  it('records the acrs value and the token issue time for the audit log, and nothing without a proof', () => {
    assert.deepEqual(proofDetails(PROOF), {
      signIn: 'strong sign-in (acrs c1, token issued 2026-12-06T14:02:41.000Z)',
      authenticationContext: 'c1',
      signedInAt: '2026-12-06T14:02:41.000Z',
    });
    assert.deepEqual(proofDetails(undefined), {});
  });
});

describe('policyProblems for approval.freshSignIn', () => {
  const withApproval = (approval: ApprovalPolicy): ElevatePolicy => ({ defaults: { approval }, rules: [] });

  it('accepts c1 on a required approval', () => {
    assert.deepEqual(policyProblems(withApproval(freshPolicy())), []);
  });

  it('refuses an id that is not c1 to c99', () => {
    assert.deepEqual(policyProblems(withApproval(freshPolicy({ freshSignIn: { authenticationContext: 'mfa' } }))), [
      { where: 'defaults', field: 'approval.freshSignIn.authenticationContext', problem: 'must be a Conditional Access authentication context id, c1 to c99' },
    ]);
  });

  it('refuses it where Elevate asks no approval, since it would protect nothing', () => {
    const problems = policyProblems(withApproval(freshPolicy({ required: false })));

    assert.deepEqual(
      problems.map((p) => p.field),
      ['approval.freshSignIn'],
    );
  });
});

describe('freshSignInWarnings', () => {
  const plain: ApprovalPolicy = freshPolicy({ freshSignIn: undefined });
  const rule = (name: string, roleIds: string[] | undefined, approval?: ApprovalPolicy, match: PolicyMatch = { environmentTypes: ['Production'] }) => ({
    name,
    match: { ...match, ...(roleIds ? { roleIds } : {}) },
    ...(approval ? { approval } : {}),
  });

  it('warns for each rule and the defaults that approve Global Administrator on cards without a fresh sign-in', () => {
    const policy: ElevatePolicy = {
      defaults: { approval: plain },
      rules: [
        rule('ga-plain', [GLOBAL_ADMINISTRATOR], plain),
        rule('any-role-plain', undefined, plain, { environmentNamePattern: 'Contoso *' }),
        rule('ga-fresh', [GLOBAL_ADMINISTRATOR], freshPolicy()),
        rule('pp-plain', [POWER_PLATFORM_ADMINISTRATOR], plain),
        rule('inherits-defaults', [GLOBAL_ADMINISTRATOR]),
      ],
    };

    assert.deepEqual(freshSignInWarnings(policy), [
      'rule "ga-plain" approves Global Administrator requests on cards without approval.freshSignIn',
      'rule "any-role-plain" approves Global Administrator requests on cards without approval.freshSignIn',
      'defaults approve Global Administrator requests on cards without approval.freshSignIn',
    ]);
  });

  it('leaves out a rule that no Global Administrator request reaches, and the defaults when a rule takes them all', () => {
    const policy: ElevatePolicy = {
      defaults: { approval: plain },
      rules: [
        rule('prod-ga', [GLOBAL_ADMINISTRATOR], freshPolicy()),
        rule('prod-any-role', undefined, plain),
        rule('every-ga', [GLOBAL_ADMINISTRATOR], freshPolicy(), {}),
      ],
    };

    assert.deepEqual(freshSignInWarnings(policy), []);
  });

  it('says nothing when no approval is asked, or every one asks for a fresh sign-in', () => {
    assert.deepEqual(freshSignInWarnings({ defaults: {}, rules: [] }), []);
    assert.deepEqual(freshSignInWarnings({ defaults: { approval: freshPolicy() }, rules: [rule('ga', [GLOBAL_ADMINISTRATOR], freshPolicy())] }), []);
  });
});
