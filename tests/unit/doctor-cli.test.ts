import assert from 'node:assert/strict';
import { DOCTOR_CHECKS } from '../../src/cli/doctor/catalog.js';
import { runDoctorCli } from '../../src/doctor-cli.js';
import { ENV } from './cli/doctor/doctor-fixture.js';

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) }, now: () => Date.now() } };
}

describe('npm run doctor (doctor-cli), before it reaches the tenant', () => {
  it('prints the usage with --help, and refuses an unknown option with exit 2', async () => {
    const help = io();
    const bad = io();
    assert.equal(await runDoctorCli(['--help'], {}, help.io), 0);
    assert.match(help.out.stdout, /^Usage: npm run doctor -- \[--json\] \[--no-operator\]/);
    assert.equal(await runDoctorCli(['--repair'], {}, bad.io), 2);
    assert.match(bad.out.stderr, /^doctor: unknown option --repair\n\nUsage:/);
  });

  it('prints the README permission table with --permissions-table', async () => {
    const run = io();
    assert.equal(await runDoctorCli(['--permissions-table'], {}, run.io), 0);
    assert.match(run.out.stdout, /^\| API +\| Type +\| Permission +\| Granted by +\| Checked by +\| What Elevate does with it +\|\n/);
  });

  it('fails the config line naming the variable, skips the rest and exits 1, in lines or JSON', async () => {
    const { SECURITY_GROUP_ID: _omitted, ...env } = ENV;
    const lines = io();
    const json = io();

    assert.equal(await runDoctorCli(['--no-operator'], env, lines.io), 1);
    assert.equal(await runDoctorCli(['--json'], env, json.io), 1);

    const printed = lines.out.stdout.split('\n').filter((l) => /^(✅|❌|⚠) /.test(l));
    assert.equal(printed.length, DOCTOR_CHECKS.length);
    assert.match(
      printed[0]!,
      /^❌ config — Configuration: Configuration error: SECURITY_GROUP_ID is required → fix: set the variable as the README's "Configuration" table says/,
    );
    assert.ok(printed.slice(1).every((l) => l.includes('skipped: the configuration did not load (config)')));
    const report = JSON.parse(json.out.stdout) as { ok: boolean; operator: string; summary: Record<string, number> };
    assert.deepEqual([report.ok, report.operator, report.summary.fail, report.summary.skip], [false, 'skipped', 1, DOCTOR_CHECKS.length - 1]);
  });
});
