import assert from 'node:assert/strict';
import type { ScopeRecord } from '../../simulator/entra/scope-log.js';
import { unlistedScopes } from '../../support/unlisted-scopes.js';

const ELEVATE = 'e1e7a7e0-55a0-4e1e-9a7e-0000000055a0';

function obo(permissions: string[], extra: Partial<ScopeRecord> = {}): ScopeRecord {
  return {
    clientId: ELEVATE,
    grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    resource: 'graph',
    permissions,
    isDefault: false,
    oidc: [],
    probe: false,
    ...extra,
  };
}

describe('the suite-wide check of requested scopes against the permission list', () => {
  it('accepts the delegated Graph scopes, the Power Platform .default and the app tokens Elevate asks for', () => {
    const records = [
      obo(['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleEligibilitySchedule.Read.Directory']),
      obo([], { resource: 'powerplatform', isDefault: true }),
      obo([], { resource: 'graph', isDefault: true, grantType: 'client_credentials' }),
      obo([], { resource: 'dataverse', isDefault: true, grantType: 'client_credentials' }),
      obo([], { resource: 'powerplatform', isDefault: true, grantType: 'client_credentials' }),
      obo(['access_as_user'], { resource: 'api', grantType: 'authorization_code', oidc: ['openid', 'profile', 'offline_access'] }),
    ];
    assert.deepEqual(unlistedScopes(records, ELEVATE), []);
  });

  it('names a scope the README does not list, such as RoleAssignmentSchedule.Read.Directory', () => {
    assert.deepEqual(unlistedScopes([obo(['RoleAssignmentSchedule.Read.Directory'])], ELEVATE), [
      'RoleAssignmentSchedule.Read.Directory of graph (delegated, urn:ietf:params:oauth:grant-type:jwt-bearer)',
    ]);
  });

  it('names a .default on a resource with nothing listed for that kind (delegated Dataverse)', () => {
    assert.deepEqual(unlistedScopes([obo([], { resource: 'dataverse', isDefault: true })], ELEVATE), [
      '.default of dataverse (delegated, urn:ietf:params:oauth:grant-type:jwt-bearer)',
    ]);
  });

  it('ignores probes made by simulator tests and other clients', () => {
    const records = [obo(['Directory.ReadWrite.All'], { probe: true }), obo(['Directory.ReadWrite.All'], { clientId: 'someone-else' })];
    assert.deepEqual(unlistedScopes(records, ELEVATE), []);
  });

  it('names a scope on a resource the simulator could not resolve', () => {
    assert.deepEqual(unlistedScopes([obo(['https://unknown.example/x'], { resource: 'unknown' })], ELEVATE), [
      'https://unknown.example/x on an unknown resource (urn:ietf:params:oauth:grant-type:jwt-bearer)',
    ]);
  });
});
