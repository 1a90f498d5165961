import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOCTOR_CHECKS } from '../../src/cli/doctor/catalog.js';
import {
  AAD_APP_CLIENT_ID,
  APPROVERS_GROUP_ID,
  assertNoSecretsIn,
  ENVIRONMENTS,
  ROLES,
  SEED_SECRETS,
  startSimulator,
  USERS,
  type Simulator,
} from '../harness/index.js';
import type { AppRegistration, TenantModel } from '../simulator/tenant/model.js';
import { notPassing, runDoctor, type DoctorRun } from './support/doctor.js';
import { ELEVATE_RBAC_APP } from '../simulator/tenant/rbac-seed.js';

/** The optional RBAC identity (issue #14) is configured, so its check `pp.rbac-identity` runs too. */
const RBAC_ENV = { ELEVATE_RBAC_CLIENT_ID: ELEVATE_RBAC_APP.clientId, ELEVATE_RBAC_CLIENT_SECRET: ELEVATE_RBAC_APP.secret };

/**
 * `npm run doctor` end to end: the compiled CLI against a simulator process, with the bot's
 * environment; the operator (Patti Fernandez, Global Reader) completes the device code sign-in
 * through the control API. Every injected misconfiguration fails its own line, with its fix.
 */
const ALL_IDS = DOCTOR_CHECKS.map((c) => c.id);
const APP_TOKEN_CHECKS = ['pp.management-app', 'dataverse.app-user', 'dataverse.system-administrator', 'group.security', 'policy.approvers'];
const OPERATOR_CHECKS = ['app.secret-expiry', 'app.identifier-uri', 'app.exposed-api', 'app.redirect-uri', 'consent.delegated', 'pim.policies'];

describe('npm run doctor against the tenant simulator', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let dir: string;
  let policyPath: string;

  function writePolicy(text: string, name = 'elevate-policy.yaml'): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  /** Approvals by the approvers group and Megan; Contoso Prod listed too (offered without Elevate's own listing). */
  function seededPolicy(approverGroupId = APPROVERS_GROUP_ID): string {
    return [
      'version: 1',
      'rules:',
      '  - name: Production',
      '    match: { environmentTypes: [Production] }',
      `    approval: { required: true, approverGroupIds: ['${approverGroupId}'], approverUserIds: ['${USERS.megan.id}'], approvalsRequired: 1 }`,
      'environments:',
      `  - { id: ${ENVIRONMENTS.contosoProd.id}, displayName: Contoso Prod, type: Production, url: '${sim.baseUrl}/dataverse/contosoprod' }`,
      '',
    ].join('\n');
  }

  const doctor = (options: Parameters<typeof runDoctor>[1] = {}) =>
    runDoctor(sim, { ...options, env: { ELEVATE_POLICY_FILE: policyPath, ...RBAC_ENV, ...options.env } });

  async function elevateApp(change: (app: AppRegistration, tenant: TenantModel) => void): Promise<void> {
    await sim.control.updateTenant<TenantModel>((tenant) => {
      change(
        tenant.apps.find((a) => a.clientId === AAD_APP_CLIENT_ID)!,
        tenant,
      );
    });
  }

  function failsAlone(run: DoctorRun, id: string, ...fixParts: (string | RegExp)[]): void {
    assert.deepEqual(notPassing(run), [id], run.stdout);
    assert.equal(run.statuses.get(id), 'fail');
    const line = run.line(id);
    assert.match(line, /^❌ /);
    for (const part of fixParts)
      assert.match(line.split(' → fix: ')[1] ?? '', typeof part === 'string' ? new RegExp(part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : part);
    assert.equal(run.code, 1);
  }

  before(async () => {
    sim = await startSimulator();
    dir = mkdtempSync(path.join(os.tmpdir(), 'elevate-doctor-'));
  });
  after(async () => {
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await sim.control.reset();
    await sim.control.settings({ deviceCodeIntervalSeconds: 1 });
    policyPath = writePolicy(seededPolicy());
  });

  it('is all green on the seeded tenant: one ✅ line per check in order, exit 0, the prompt on stderr, no secret printed', async () => {
    const run = await doctor();

    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual([...run.statuses.keys()], ALL_IDS);
    assert.deepEqual(notPassing(run), []);
    assert.match(run.stdout, /19 checks: 19 passed, 0 failed, 0 warnings, 0 skipped\./);
    assert.match(
      run.stderr,
      /^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code \w+ to authenticate\.\n$/,
    );
    assert.match(run.line('operator.sign-in'), /signed in as patti@contoso\.example/);
    assert.match(run.line('dataverse.app-user'), /present in 4 environments/);
    assert.match(run.line('policy.approvers'), /2 approvers exist: Elevate Approvers, Megan Bowen/);
    assertNoSecretsIn(run.stdout + run.stderr, SEED_SECRETS);
  });

  it('prints one JSON document with --json', async () => {
    const run = await doctor({ args: ['--json'] });

    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      operator: string;
      summary: Record<string, number>;
      checks: { id: string; status: string; detail: string }[];
    };
    assert.equal(run.code, 0);
    assert.deepEqual([report.ok, report.operator, report.summary], [true, 'signed-in', { pass: 19, fail: 0, warn: 0, skip: 0 }]);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ALL_IDS,
    );
    assert.ok(report.checks.every((c) => c.status === 'pass' && c.detail !== ''));
  });

  it('skips the operator checks with --no-operator, says so, and exits 0 on what ran', async () => {
    const run = await doctor({ operator: 'none' });

    assert.equal(run.code, 0);
    assert.deepEqual(notPassing(run).sort(), ['operator.sign-in', ...OPERATOR_CHECKS].sort());
    assert.match(run.line('consent.application'), /the roles in Elevate's Graph token/);
    assert.match(run.stdout, /skipped \(--no-operator\): the exit status covers only the checks that ran/);
    assert.equal(run.stderr, '');
  });

  it('fails operator.sign-in when the operator declines, and skips what needed her', async () => {
    const run = await doctor({ operator: 'decline' });

    assert.equal(run.code, 1);
    assert.equal(run.statuses.get('operator.sign-in'), 'fail');
    assert.match(run.line('operator.sign-in'), /the sign-in was declined/);
    for (const id of OPERATOR_CHECKS) assert.match(run.line(id), /skipped: needs the operator's sign-in/);
  });

  it('names a missing delegated consent, with the portal path that grants it', async () => {
    await elevateApp((app) => (app.delegatedPermissions.graph = app.delegatedPermissions.graph!.filter((p) => p !== 'RoleEligibilitySchedule.Read.Directory')));

    const run = await doctor();

    failsAlone(
      run,
      'consent.delegated',
      'API permissions → Add a permission → Microsoft Graph → Delegated permissions → RoleEligibilitySchedule.Read.Directory',
      'Grant admin consent',
    );
    assert.match(run.line('consent.delegated'), /missing admin consent for Microsoft Graph RoleEligibilitySchedule\.Read\.Directory \(delegated\)/);
  });

  it('names a missing application permission', async () => {
    await elevateApp((app) => (app.appRoles.graph = app.appRoles.graph!.filter((p) => p !== 'RoleManagement.Read.Directory')));

    const run = await doctor();

    failsAlone(run, 'consent.application', 'Microsoft Graph → Application permissions → RoleManagement.Read.Directory');
  });

  it('fails pp.management-app without the management-application registration, with the command and its privilege', async () => {
    await elevateApp((app) => (app.powerPlatformManagementApp = false));

    const run = await doctor();

    failsAlone(
      run,
      'pp.management-app',
      `pac admin application register --application-id ${AAD_APP_CLIENT_ID}`,
      /privileged: .*treated as a Power Platform administrator/,
    );
    assert.match(run.line('dataverse.app-user'), /present in 1 environment: Contoso Prod \(the tenant listing failed \(pp\.management-app\)\)/);
  });

  it('fails pp.rbac-identity when the RBAC identity lost its role, names the role to assign, and skips it when RBAC is off', async () => {
    await sim.control.updateTenant<TenantModel>((tenant) => void (tenant.rbacAssignments = []));

    const run = await doctor();
    const off = await doctor({ env: { ELEVATE_RBAC_CLIENT_ID: '', ELEVATE_RBAC_CLIENT_SECRET: '' } });

    failsAlone(run, 'pp.rbac-identity', 'role-based access control administrator" at tenant scope');
    assert.match(run.line('pp.rbac-identity'), /refused the RBAC identity/);
    assert.match(off.line('pp.rbac-identity'), /ELEVATE_RBAC_CLIENT_ID is not set/);
    assert.equal(off.code, 0);
  });

  it('lists the environment that lacks the Dataverse application user', async () => {
    await sim.control.updateTenant<TenantModel>((t) => {
      const org = t.dataverse['contosouat']!;
      org.systemusers = org.systemusers.filter((u) => u.applicationid !== AAD_APP_CLIENT_ID);
    });

    const run = await doctor();

    failsAlone(run, 'dataverse.app-user', 'Contoso UAT → Settings → Users + permissions → Application users → New app user', 'System Administrator');
    assert.match(run.line('dataverse.app-user'), /no application user for Elevate in Contoso UAT/);
    assert.match(run.line('dataverse.system-administrator'), /not checked where there is no application user: Contoso UAT/);
  });

  it('fails group.security for a group the tenant does not have', async () => {
    const run = await doctor({ env: { SECURITY_GROUP_ID: '0dd00000-0000-4000-8000-000000000bad' } });

    failsAlone(run, 'group.security', "set SECURITY_GROUP_ID to the security team's group");
  });

  it('fails policy.file for a file the bot would refuse, and policy.approvers for an unknown approver group', async () => {
    const bad = await doctor({ env: { ELEVATE_POLICY_FILE: writePolicy('rules:\n  - name: Oops\n    match: {}\n    aproval: {}\n', 'bad.yaml') } });
    policyPath = writePolicy(seededPolicy('0dd00000-0000-4000-8000-0000000a9900'));
    const unknown = await doctor();

    assert.deepEqual(notPassing(bad), ['policy.file', 'policy.approvers']);
    assert.match(bad.line('policy.file'), /bad\.yaml: rule "Oops" \(rules\[0\]\): aproval is not a known field/);
    assert.match(bad.line('policy.approvers'), /skipped: the policy file did not load/);
    assert.equal(bad.code, 1);
    failsAlone(unknown, 'policy.approvers', /use the object id of an existing Entra group or user/);
    assert.match(unknown.line('policy.approvers'), /unknown approver group 0dd00000-0000-4000-8000-0000000a9900 \(rule "Production"\)/);
  });

  it('fails bot.credentials for a wrong bot password', async () => {
    const run = await doctor({ env: { BOT_PASSWORD: 'not-the-bot-secret' } });

    failsAlone(run, 'bot.credentials', 'Manage Password', 'set BOT_PASSWORD to its Value');
    assert.match(run.line('bot.credentials'), /AADSTS7000215/);
  });

  it("fails app.credential for a wrong client secret and skips only what needs Elevate's app token", async () => {
    const run = await doctor({ env: { AAD_APP_CLIENT_SECRET: 'not-the-client-secret' } });

    assert.equal(run.code, 1);
    assert.deepEqual(notPassing(run), ['app.credential', ...APP_TOKEN_CHECKS]);
    assert.match(
      run.line('app.credential'),
      /AAD_APP_CLIENT_SECRET is not a secret of app .*AADSTS7000215.* → fix: .*Certificates & secrets → New client secret/,
    );
    for (const id of APP_TOKEN_CHECKS) assert.match(run.line(id), /skipped: needs Elevate's app token \(app\.credential\)/);
    assertNoSecretsIn(run.stdout + run.stderr, [...SEED_SECRETS, 'not-the-client-secret']);
  });

  it('warns when the client secret expires within 30 days, and still exits 0', async () => {
    await elevateApp((app) => (app.secretEndDateTimes = [new Date(Date.now() + 10 * 24 * 60 * 60_000).toISOString()]));

    const run = await doctor();

    assert.deepEqual(notPassing(run), ['app.secret-expiry']);
    assert.match(
      run.line('app.secret-expiry'),
      /^⚠ app\.secret-expiry .*expires on \d{4}-\d\d-\d\d, in (9|10) days → fix: before it ends, .*New client secret/,
    );
    assert.equal(run.code, 0);
  });

  it('fails app.redirect-uri when the sign-in callback is not registered', async () => {
    await elevateApp((app) => (app.redirectUris = ['https://elevate.contoso.example/auth/callback']));

    const run = await doctor();

    failsAlone(run, 'app.redirect-uri', 'Authentication → Web → Add URI http://127.0.0.1/auth/callback');
  });

  it('fails pim.policies for an offered role whose PIM policy cannot be read', async () => {
    await sim.control.updateTenant<TenantModel>((t) => {
      t.roleDefinitions = t.roleDefinitions.filter((r) => r.id !== ROLES.dynamics365Administrator);
    });

    const run = await doctor();

    failsAlone(run, 'pim.policies', 'Privileged Identity Management → Microsoft Entra roles → Settings', 'ELEVATE_ROLES');
    assert.match(run.line('pim.policies'), /cannot read the PIM policy of Dynamics 365 Administrator/);
  });
});
