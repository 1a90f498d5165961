import { request } from './https.js';

/**
 * The user's browser on the simulator's interactive sign-in (tests/simulator/entra/authorize.ts):
 * opens the authorize URL the bot handed out (the "Sign in" button), fills the sign-in form as a
 * person would (account, "Complete multi-factor authentication") and submits it. The 302 Entra
 * answers is returned, not followed: the caller then calls the bot's callback URL itself.
 *
 *   const { redirectedTo } = await followSignIn(signInUrl, sim.ca, { mfa: true });
 *   await request(redirectedTo.toString()); // the bot's /auth/callback?code=…&state=…
 */
export interface SignInOptions {
  /** Tick (true) or untick (false) "Complete multi-factor authentication"; default: as the page shows it (ticked when required). */
  mfa?: boolean;
  /** The account: object id or UPN. Default: the one the page preselected (`login_hint`). */
  userId?: string;
  /** Press "Cancel" instead of "Sign in" (Entra redirects with `error=access_denied`). */
  cancel?: boolean;
}

export interface SignInForm {
  /** Absolute URL the form posts to. */
  action: string;
  /** Hidden fields: the authorize request's parameters. */
  hidden: Record<string, string>;
  users: { id: string; label: string; selected: boolean }[];
  mfaChecked: boolean;
  mfaRequired: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attrs[match[1]!.toLowerCase()] = decode(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attrs;
}

/** The sign-in form of the page at `pageUrl`; throws when the page has none (an error page). */
export function parseSignInForm(page: string, pageUrl: string): SignInForm {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(page);
  if (!form) throw new Error(`the sign-in page has no form: ${describePage(page)}`);
  const formAttrs = attributes(form[1]!);
  const inner = form[2]!;
  const hidden: Record<string, string> = {};
  let mfaChecked = false;
  let mfaRequired = false;
  for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = attributes(input[1]!);
    if (attrs['type'] === 'hidden' && attrs['name'] !== undefined) hidden[attrs['name']] = attrs['value'] ?? '';
    if (attrs['type'] === 'checkbox' && attrs['name'] === 'mfa') {
      mfaChecked = 'checked' in attrs;
      mfaRequired = 'required' in attrs;
    }
  }
  const select = /<select\b[^>]*\bname="user"[^>]*>([\s\S]*?)<\/select>/i.exec(inner);
  const users = [...(select?.[1] ?? '').matchAll(/<option\b([^>]*)>([^<]*)<\/option>/gi)]
    .map((option) => ({ attrs: attributes(option[1]!), label: decode(option[2]!.trim()) }))
    .filter(({ attrs }) => (attrs['value'] ?? '') !== '')
    .map(({ attrs, label }) => ({ id: attrs['value']!, label, selected: 'selected' in attrs }));
  return { action: new URL(formAttrs['action'] ?? '', pageUrl).toString(), hidden, users, mfaChecked, mfaRequired };
}

/** The error text of a page (its alert and AADSTS line), for error messages. */
function describePage(page: string): string {
  const texts = [...page.matchAll(/<p\b[^>]*(?:role="alert"|id="error-code")[^>]*>([\s\S]*?)<\/p>/gi)].map((m) =>
    decode(m[1]!.replace(/<[^>]+>/g, ' ').trim()),
  );
  return texts.length > 0 ? texts.join(' ') : page.slice(0, 300);
}

function location(headers: Record<string, string | string[] | undefined>, base: string): URL | undefined {
  const value = headers['location'];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? new URL(first, base) : undefined;
}

export async function followSignIn(authorizeUrl: string, ca: string | Buffer, options: SignInOptions = {}): Promise<{ redirectedTo: URL }> {
  const page = await request(authorizeUrl, { ca, headers: { Accept: 'text/html' } });
  // Entra may send the browser straight back (an error for the app, prompt=none).
  const early = page.status >= 300 && page.status < 400 ? location(page.headers, authorizeUrl) : undefined;
  if (early) return { redirectedTo: early };
  if (page.status !== 200) throw new Error(`GET ${authorizeUrl} answered ${page.status}: ${describePage(page.text)}`);

  const form = parseSignInForm(page.text, authorizeUrl);
  const fields = new URLSearchParams(form.hidden);
  if (options.cancel) {
    fields.set('action', 'cancel');
  } else {
    const wanted = options.userId?.toLowerCase();
    const user = wanted
      ? form.users.find((u) => u.id.toLowerCase() === wanted || u.label.toLowerCase().includes(`(${wanted})`))
      : form.users.find((u) => u.selected);
    if (!user) {
      throw new Error(
        wanted ? `the sign-in page offers no account '${options.userId}'` : 'the sign-in page preselected no account (no login_hint): pass options.userId',
      );
    }
    fields.set('user', user.id);
    if (options.mfa ?? form.mfaChecked) fields.set('mfa', 'true');
  }

  const submitted = await request(form.action, {
    method: 'POST',
    ca,
    headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  const redirectedTo = submitted.status >= 300 && submitted.status < 400 ? location(submitted.headers, form.action) : undefined;
  if (!redirectedTo) throw new Error(`signing in answered ${submitted.status}: ${describePage(submitted.text)}`);
  return { redirectedTo };
}
