/**
 * The security channel's own notices (src/teams/channels/security-notices.ts): the `security` section
 * of the catalogue (catalogue-en.ts). German and French have exactly these keys and placeholders.
 * The channel has no single reader: these are in the language of the member who said `notify here`
 * there (README, Languages).
 */
export const SECURITY_EN = {
  deliveryFailingTitle: '⚠ Teams keeps refusing a message from Elevate',
  deliveryFailingMessage: 'A message to one conversation failed {attempts} times ({answer}).',
  deliveryFailingUpdate: 'A card update to one conversation failed {attempts} times ({answer}).',
  deliveryFailingText: 'Elevate keeps trying for a while; if the user removed the app or left the chat, the message cannot be delivered.',
  teamsAnswered: 'Teams answered {status}',
  noAnswer: 'no answer',
  deliveryFailingSummary: 'Elevate: a message keeps failing',
  alertTitle: '⚠ Elevate needs attention',
  alertSummary: 'Elevate alert: {environment}',
  cleanupFailing:
    "Elevate could not remove System Administrator from {requester} in {environment} after {attempts} attempts ({error}); it keeps trying with backoff. Check Elevate's application user in that environment and its Graph permissions.",
  pimRoleLost:
    "Extending {requester}'s elevation in {environment} deactivated {role} in PIM, and PIM took neither the new activation nor the time that was left ({detail}). The role is no longer active in PIM: Elevate ends the elevation now and removes System Administrator. Check {requester}'s PIM assignments.",
  extensionNotSaved:
    "An extension of {requester}'s elevation in {environment} lengthened {role} in PIM until {until}, but another tap or instance had taken the extension over meanwhile, so Elevate did not record it. PIM may end later than Elevate shows: check {requester}'s PIM activations.",
  anchorTitle: 'Audit anchor: entry #{seq}',
  anchorVerifiedOne: 'Elevate verified its audit log: 1 entry up to #{seq}{sealed}.',
  anchorVerifiedMany: 'Elevate verified its audit log: {count} entries up to #{seq}{sealed}.',
  anchorSealedWith: ' sealed with key "{keyId}"',
  anchorRequestedBy: 'Published on request of {name}.',
  anchorKeep: 'Keep this post: with it, a later check finds entries up to #{seq} deleted or rewritten. Run:',
  anchorSummary: 'Elevate audit anchor: --anchor {value}',
  auditBrokenTitle: '⚠ Audit log verification failed',
  auditBrokenText:
    'Entry #{seq}: {reason}. No anchor was published. Check the store with "npm run audit -- --verify --anchor <seq>:<hash>" using the newest anchor posted here.',
  auditSealedTitle: 'Audit log sealed under an audit key',
  auditSealedText:
    'Elevate sealed {count} audit entries written without an audit key (#1-#{count}, chain {chain}) with key "{keyId}" in entry #{seq}. Expected once, when upgrading to keyed audit entries; at any other time unkeyed entries were written into the store behind Elevate\'s back.',
  chainIntact: 'intact',
  chainBroken: 'broken at #{seq}: {reason}',
  auditAlertSummary: 'Elevate: {title}',
  pimApprovalTitle: 'PIM approval: {requester} in {environment}',
  pimApproved: "PIM approver {approver} approved {requester}'s PIM activation of {role} for {environment}.",
  pimDenied: "PIM approver {approver} denied {requester}'s PIM activation of {role} for {environment} ({reason}).",
  aRole: 'a role',
  pimApprovalSummary: 'Elevate PIM approval: {requester}',
  approvalTitle: 'Approval: {requester} in {environment}',
  approvalWhat: "{requester}'s request for {role} in {environment}",
  approvalApproved: '{approver} approved {what}: approved ({approvals} of {required}). The requester can activate it now.',
  approvalVote: '{approver} approved {what} ({approvals} of {required}).',
  approvalWaits: '{what} waits for {required} approval(s).',
  approvalDenied: '{what}: denied.',
  approvalExpired: '{what}: expired without a decision.',
  approvalLapsed: '{what}: approved, but not activated in time.',
  approvalSummary: 'Elevate approval: {requester}',
  reminderSummary: 'Elevate reminder: {requester} in {environment}',
  elevationSummary: 'Elevate: {outcome}: {requester} in {environment}',
};
