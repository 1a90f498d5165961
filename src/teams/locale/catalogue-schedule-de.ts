import type { Catalogue } from './catalogue-en.js';

/** Geplante Erhöhungen (issue #16), auf Deutsch: dieselben Schlüssel wie catalogue-schedule-en.ts. */
export const SCHEDULE_DE: Catalogue['schedule'] = {
  badStart: 'Ich konnte den Beginn "{typed}" nicht lesen. Versuchen Sie zum Beispiel "tomorrow 22:00", "at 9:00", "friday 9am" oder "from 22:00 to 01:00".',
  pastStart: 'Der Beginn "{typed}" liegt in der Vergangenheit. Sagen Sie zum Beispiel "tomorrow 9:00".',
  tooFarAhead: 'Der Beginn "{typed}" liegt zu weit in der Zukunft: Elevate plant höchstens {days} Tage im Voraus.',
  startWithNow: 'Break Glass ("jetzt") beginnt sofort und kann nicht für später geplant werden.',
  startsAt: 'Beginnt',
  requestNote: 'Geplant für {start}: Vorher wird nichts aktiviert, und die Dauer zählt ab dem Beginn.',
  scheduledTitle: '🗓 Geplant: {role} in {environment} für {duration}',
  scheduledText:
    'Zum Beginn prüft Elevate Ihre Berechtigung und die Richtlinien erneut, meldet Sie über Teams an und erhöht Sie; kann Teams Sie nicht selbst anmelden, erhalten Sie eine Karte mit Starten. Zum Verschieben sagen Sie "move to tomorrow 23:00" (jederzeit bis zum Beginn).',
  approvedText: '{asked} Im Voraus genehmigt: Sie beginnt zur geplanten Zeit, und die Dauer zählt ab dann.',
  waitingNote: 'Für später geplant: Die Genehmigenden können vor dem Beginn entscheiden.',
  start: 'Starten',
  dueTitle: 'Ihre geplante Erhöhung in {environment} ist fällig',
  dueText: 'Elevate braucht Ihre Anmeldung, um sie zu starten. Wählen Sie Starten (Teams meldet Sie eventuell vorher selbst an).',
  startingNotice: 'Ihre geplante Erhöhung in {environment} beginnt',
  startingTitle: '🗓 Beginnt jetzt: Ihre geplante Erhöhung in {environment}',
  startingText: 'Elevate aktiviert {role} für {duration}; die Anfragekarte oben zeigt den Fortschritt.',
  notStartedNotice: 'Ihre geplante Erhöhung in {environment} hat nicht begonnen',
  notYetTitle: 'Noch nicht',
  notYetText: 'Diese Erhöhung beginnt zur geplanten Zeit; Elevate startet sie dann.',
  movedTitle: '🗓 Verschoben: Ihre Erhöhung in {environment}',
  movedText: 'Sie beginnt jetzt um {start} (vorher {previous}).',
  nothingToMove: 'Sie haben keine geplante Erhöhung, die noch nicht begonnen hat. Sagen Sie "status", um Ihre Erhöhungen zu sehen.',
  moveUsage: 'Sagen Sie, wann sie beginnen soll, zum Beispiel "move to tomorrow 23:00".',
  cannotMove: 'Diese Erhöhung kann nicht mehr verschoben werden: {reason}',
  alreadyStarted: 'sie hat begonnen oder ist beendet.',
  statusScheduled: '{head}: geplant',
  statusApprovedScheduled: '{head}: genehmigt, geplant',
  statusAwaitingScheduled: '{head}: wartet auf Genehmigung, geplant',
};
