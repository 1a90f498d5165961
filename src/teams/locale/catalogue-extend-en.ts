/**
 * Elevate's words about extending an elevation (issue #16), in English: the `extend` section of the
 * catalogue (catalogue-en.ts). German and French have exactly these keys and placeholders
 * (catalogue-extend-de.ts, catalogue-extend-fr.ts).
 */
export const EXTEND_EN = {
  extend: 'Extend by {duration}',
  left: 'You can extend it by up to {duration} more ({count} extension(s) left).',
  noneLeft: 'It cannot be extended any more.',
  extendedTitle: '✅ Extended: {environment} until {until}',
  extendedText: '{role} and System Administrator stay until then ({duration} more). {left}',
  approvalTitle: 'Extension sent for approval',
  approvalText: 'The Elevate policy needs approval for extensions. When it is approved, select Activate on the approved request to apply it.',
  refusedTitle: 'Not extended',
  breakGlass: 'A break-glass elevation is never extended. For more time, request a normal elevation.',
  notActive: 'Your elevation in {environment} is not active any more.',
  ended: 'Your elevation in {environment} has already ended.',
  notAllowed: 'The Elevate policy does not allow extending elevations here.',
  countExhausted: 'You have used every extension the Elevate policy allows for this elevation.',
  totalExceeded: 'That is more than the Elevate policy allows: you can extend by at most {duration} more.',
  tooShort: 'PIM needs at least 5 minutes: extend by 5 minutes or more.',
  notEligible: 'You are no longer eligible for {role} in PIM, so it cannot be extended.',
  pimMaximum: 'PIM allows at most {duration} per activation for {role}: extend by less.',
  pimRefused: 'PIM did not accept the extension ({detail}). Your elevation still ends at the time it had.',
  pimApprovalRequired:
    'PIM needs approval to activate {role}, so Elevate does not extend it: PIM would hold the new activation for its approvers, and you could be left without the role meanwhile. Your elevation still ends at the time it had; for more time, request a new elevation when it ends.',
  notStarted:
    'Your elevation in {environment} is scheduled and has not started yet, so there is nothing to extend. Once it has started, say extend; to make it longer before then, cancel it and request it again with the duration you need.',
  pimRoleLost:
    'PIM did not take the extension, and Elevate could not give your role back the time that was left ({detail}). {role} is no longer active: Elevate ends this elevation now and the security team was told. Request a new elevation if you still need it.',
  tooSoonTitle: 'Too early to extend',
  tooSoonText: 'PIM needs your role to have been active for 5 minutes before Elevate can extend it here. Try again from the time shown.',
  busy: 'Another tap is extending this elevation right now; its card shows the result.',
  alreadyExtended: 'This elevation was already extended; it now ends at the time shown.',
  nothingToExtend: 'Nothing to extend',
  noActive: 'You have no active elevation to extend.',
  onlyElevated: 'Only the person who was elevated can extend it.',
};
