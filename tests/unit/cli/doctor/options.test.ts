import assert from 'node:assert/strict';
import { DoctorUsageError, parseDoctorArgs } from '../../../../src/cli/doctor/options.js';

describe('doctor: options', () => {
  it('checks with the operator and prints lines by default', () => {
    assert.deepEqual(parseDoctorArgs([]), { mode: 'check', json: false, operator: true });
  });

  it('takes --json, --no-operator, --permissions-table and --help', () => {
    assert.deepEqual(parseDoctorArgs(['--json', '--no-operator']), { mode: 'check', json: true, operator: false });
    assert.equal(parseDoctorArgs(['--permissions-table']).mode, 'permissions-table');
    assert.equal(parseDoctorArgs(['-h']).mode, 'help');
  });

  it('refuses anything else', () => {
    assert.throws(
      () => parseDoctorArgs(['--fix']),
      (e: unknown) => e instanceof DoctorUsageError && /unknown option --fix/.test(e.message),
    );
  });
});
