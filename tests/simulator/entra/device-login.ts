import { escapeHtml, pageLayout } from './authorize.js';
import { decideDeviceCode } from './device-code.js';
import { html, isRecord, stringField, type SimRequest, type SimResponse } from '../core/http.js';
import { route, type Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';

/**
 * The page a device code sign-in sends people to (`verification_uri`; microsoft.com/devicelogin in
 * Entra): enter the code, pick the account, Continue or Decline. A tiny stand-in for an operator
 * running `npm run doctor` against `npm run simulator`; tests approve through the control API
 * (`POST /_control/device-codes`). No sessions, no MFA prompt (tick `mfa` to sign in with MFA).
 */
function form(ctx: SimContext, alert?: string, code = ''): string {
  const options = ctx.state.tenant.users.map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(`${u.name} (${u.upn})`)}</option>`);
  return [
    '<h1>Enter code</h1>',
    '<p>Enter the code displayed on your app or device.</p>',
    alert ? `<p role="alert" id="device-error">${escapeHtml(alert)}</p>` : '',
    '<form id="device-form" method="post" action="/devicelogin">',
    `<p><label for="code">Code</label> <input id="code" name="code" required autocomplete="off" value="${escapeHtml(code)}"></p>`,
    `<p><label for="user">Account</label> <select id="user" name="user" required><option value="">Choose an account</option>${options.join('')}</select></p>`,
    '<p><input type="checkbox" id="mfa" name="mfa" value="true"> <label for="mfa">Complete multi-factor authentication</label></p>',
    '<p><button type="submit" id="continue">Continue</button> <button type="submit" id="decline" name="action" value="decline">Decline</button></p>',
    '</form>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function submit(req: SimRequest, ctx: SimContext): SimResponse {
  const body = isRecord(req.body) ? req.body : {};
  const code = stringField(body, 'code') ?? '';
  const userId = stringField(body, 'user') ?? '';
  const user = ctx.state.tenant.users.find((u) => u.id === userId);
  const decision = stringField(body, 'action') === 'decline' ? 'decline' : 'approve';
  const result = decideDeviceCode(ctx, code, user, decision, stringField(body, 'mfa') === 'true');
  if (!result.ok) return html(400, pageLayout('Enter code', form(ctx, result.message, code)));
  const app = ctx.state.tenant.apps.find((a) => a.clientId === result.grant.clientId);
  const done =
    decision === 'decline'
      ? '<p id="device-done">You declined the sign-in. You may now close this window.</p>'
      : `<p id="device-done">${escapeHtml(result.user.name)}, you have signed in to the ${escapeHtml(app?.displayName ?? result.grant.clientId)} application on your device. You may now close this window.</p>`;
  return html(200, pageLayout('Signed in', done));
}

export const deviceLoginRoutes: Route<SimContext>[] = [
  route('GET', '/devicelogin', (_req, _params, ctx) => html(200, pageLayout('Enter code', form(ctx)))),
  route('POST', '/devicelogin', (req, _params, ctx) => submit(req, ctx)),
];
