import assert from 'node:assert/strict';
import { failureFacts, said } from '../../../../src/cli/doctor/failure-text.js';
import { HttpError } from '../../../../src/domain/errors.js';
import { entraRefusal } from './doctor-fixture.js';

describe('doctor: failure text', () => {
  it("takes Entra's first AADSTS line from msal-node's error behind the broker's, without trace ids", () => {
    const facts = failureFacts(entraRefusal('invalid_client', '7000215', 'Invalid client secret provided.'));
    assert.deepEqual(facts, { aadsts: '7000215', code: 'invalid_client', text: 'AADSTS7000215: Invalid client secret provided.' });
  });

  it('gives the status and service code of an HTTP failure', () => {
    const error = new HttpError(
      'GET graph.microsoft.com/v1.0/groups/x answered HTTP 403 (Authorization_RequestDenied: Insufficient privileges)',
      403,
      'Authorization_RequestDenied',
      'r',
      undefined,
    );
    assert.deepEqual(failureFacts(error), { status: 403, serviceCode: 'Authorization_RequestDenied', text: error.message });
  });

  it('tells whether Entra or msal-node said a code anywhere in the chain', () => {
    const error = entraRefusal('invalid_client', '7000222', 'The provided client secret keys are expired.');
    assert.equal(said(error, '7000215', '7000222'), true);
    assert.equal(said(error, 'invalid_client'), true);
    assert.equal(said(error, '700016'), false);
    assert.equal(said(new Error('post_request_failed: authorization_declined'), 'authorization_declined'), true);
  });
});
