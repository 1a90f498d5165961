/**
 * Elevate's words about scheduled elevations (issue #16), in English: the `schedule` section of the
 * catalogue (catalogue-en.ts). German and French have exactly these keys and placeholders
 * (catalogue-schedule-de.ts, catalogue-schedule-fr.ts).
 */
export const SCHEDULE_EN = {
  badStart: 'I could not read the start "{typed}". Try for example "tomorrow 22:00", "at 9:00", "friday 9am" or "from 22:00 to 01:00".',
  pastStart: 'The start "{typed}" has passed. Say for example "tomorrow 9:00".',
  tooFarAhead: 'The start "{typed}" is too far ahead: Elevate schedules at most {days} days ahead.',
  startWithNow: 'Break glass ("now") starts at once and cannot be scheduled for later.',
  startsAt: 'Starts',
  requestNote: 'Scheduled for {start}: nothing is activated before then, and the duration counts from the start.',
  scheduledTitle: '🗓 Scheduled: {role} in {environment} for {duration}',
  scheduledText:
    'At the start Elevate checks your eligibility and the policies again, signs you in through Teams and elevates you; if Teams cannot sign you in on its own, you get a Start card. To move it, say "move to tomorrow 23:00" (any time up to the start).',
  approvedText: '{asked} Approved ahead of time: it starts at the scheduled time, and the duration counts from then.',
  waitingNote: 'Scheduled for later: the approvers can decide before the start.',
  start: 'Start',
  dueTitle: 'Your scheduled elevation in {environment} is due',
  dueText: 'Elevate needs your sign-in to start it. Select Start (Teams may sign you in on its own first).',
  startingNotice: 'Your scheduled elevation in {environment} is starting',
  startingTitle: '🗓 Starting now: your scheduled elevation in {environment}',
  startingText: 'Elevate is activating {role} for {duration}; the request card above shows the progress.',
  notStartedNotice: 'Your scheduled elevation in {environment} did not start',
  notYetTitle: 'Not yet',
  notYetText: 'This elevation starts at the scheduled time; Elevate starts it then.',
  movedTitle: '🗓 Moved: your elevation in {environment}',
  movedText: 'It now starts at {start} (was {previous}).',
  nothingToMove: 'You have no scheduled elevation that has not started. Say "status" to see your elevations.',
  moveUsage: 'Say when it should start, for example "move to tomorrow 23:00".',
  cannotMove: 'That elevation cannot be moved any more: {reason}',
  alreadyStarted: 'it has started or ended.',
  approvedStart: 'its approvers approved it for that time. Cancel it and ask again for the new time.',
  statusScheduled: '{head}: scheduled',
  statusApprovedScheduled: '{head}: approved, scheduled',
  statusAwaitingScheduled: '{head}: waiting for approval, scheduled',
};
