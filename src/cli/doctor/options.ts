/** `npm run doctor -- [--json] [--no-operator] [--permissions-table] [--help]`. */
export interface DoctorOptions {
  mode: 'check' | 'help' | 'permissions-table';
  json: boolean;
  operator: boolean;
}

import { UsageError as DoctorUsageError } from '../command-line.js';

export { DoctorUsageError };

export const DOCTOR_USAGE = `Usage: npm run doctor -- [--json] [--no-operator]

Checks this deployment's configuration (the bot's environment) against the tenant and prints one
line per check: ✅ passed, ❌ failed (with the fix), ⚠ warning or skipped. Exit status 0 only when
nothing failed.

  --json               one JSON document on stdout instead of lines
  --no-operator        skip the checks that need an administrator's sign-in (device code); the
                       exit status then covers only the checks that ran
  --permissions-table  print the README's permission table (from src/adapters/identity/permissions.ts)
  --help               this text

The operator signs in with the device code flow (the prompt goes to stderr) through the public
client ELEVATE_DOCTOR_CLIENT_ID (default: Microsoft Graph Command Line Tools) with
Application.Read.All, Directory.Read.All and RoleManagementPolicy.Read.Directory, as an account that
holds Global Reader. Nothing is ever added to Elevate's own app.
`;

export function parseDoctorArgs(argv: readonly string[]): DoctorOptions {
  const options: DoctorOptions = { mode: 'check', json: false, operator: true };
  for (const arg of argv) {
    if (arg === '--json') options.json = true;
    else if (arg === '--no-operator') options.operator = false;
    else if (arg === '--permissions-table') options.mode = 'permissions-table';
    else if (arg === '--help' || arg === '-h') options.mode = 'help';
    else throw new DoctorUsageError(`unknown option ${arg}`);
  }
  return options;
}
