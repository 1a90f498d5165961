/**
 * Checks that no token or secret reached a log. Findings never repeat the secret itself (the
 * failure message ends up in test reports): they name its kind, length and line.
 */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

export interface SecretFinding {
  /** 1-based line of `text`. */
  line: number;
  what: string;
}

function describe(secret: string): string {
  return `secret of ${secret.length} characters starting "${secret.slice(0, 3)}…"`;
}

export interface FindSecretsOptions {
  /** Also report anything shaped like a JWT (`eyJ….eyJ….…`), known or not. Default true. */
  jwts?: boolean;
}

export function findSecrets(text: string, secrets: readonly string[], options: FindSecretsOptions = {}): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const known = [...new Set(secrets.filter((s) => s.length >= 6))];
  text.split('\n').forEach((content, index) => {
    for (const secret of known) {
      if (content.includes(secret)) findings.push({ line: index + 1, what: describe(secret) });
      // A JWT's signature alone identifies it too (a log might cut the token at a dot).
      const signature = secret.split('.')[2];
      if (signature && signature.length >= 16 && !content.includes(secret) && content.includes(signature)) {
        findings.push({ line: index + 1, what: `signature of a known token (${describe(secret)})` });
      }
    }
    if (options.jwts !== false) {
      for (const match of content.matchAll(JWT)) findings.push({ line: index + 1, what: `JWT-shaped text of ${match[0].length} characters` });
    }
  });
  return findings;
}

/** Throws when `text` contains one of `secrets` or (by default) anything shaped like a JWT. */
export function assertNoSecretsIn(text: string, secrets: readonly string[], options: FindSecretsOptions = {}): void {
  const findings = findSecrets(text, secrets, options);
  if (findings.length === 0) return;
  const list = findings
    .slice(0, 20)
    .map((f) => `  line ${f.line}: ${f.what}`)
    .join('\n');
  throw new Error(`found ${findings.length} secret(s) in the output:\n${list}`);
}
