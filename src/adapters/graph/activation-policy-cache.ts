import type { RoleActivationPolicy } from '../../ports/pim-directory.js';

/**
 * PIM activation policies are tenant-wide, per role, and the same for every requester, yet each
 * request card read all of them again (three Graph calls of five per `elevate me in` turn, issue #13).
 * Kept for a short while and shared by concurrent readers. An administrator's change reaches the
 * cards within `ttlMs`; PIM itself refuses an activation longer than its policy allows in between,
 * and Elevate shows that refusal, so nothing is activated against a stale policy.
 */
export class ActivationPolicyCache {
  private readonly entries = new Map<string, { at: number; policy: Promise<RoleActivationPolicy> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The kept policy of `roleDefinitionId` if younger than `ttlMs`, else what `read` answers (a failure is not kept). */
  get(roleDefinitionId: string, read: () => Promise<RoleActivationPolicy>): Promise<RoleActivationPolicy> {
    const kept = this.entries.get(roleDefinitionId);
    if (kept && this.now() - kept.at < this.ttlMs) return kept.policy;
    const policy = read();
    const entry = { at: this.now(), policy };
    this.entries.set(roleDefinitionId, entry);
    policy.catch(() => {
      if (this.entries.get(roleDefinitionId) === entry) this.entries.delete(roleDefinitionId);
    });
    return policy;
  }
}
