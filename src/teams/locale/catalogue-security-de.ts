import type { Catalogue } from './catalogue-en.js';

/** Die Hinweise des Sicherheitskanals auf Deutsch: dieselben Schlüssel und Platzhalter wie catalogue-security-en.ts. */
export const SECURITY_DE: Catalogue['security'] = {
  deliveryFailingTitle: '⚠ Teams lehnt eine Nachricht von Elevate wiederholt ab',
  deliveryFailingMessage: 'Eine Nachricht an eine Unterhaltung ist {attempts}-mal fehlgeschlagen ({answer}).',
  deliveryFailingUpdate: 'Eine Kartenaktualisierung in einer Unterhaltung ist {attempts}-mal fehlgeschlagen ({answer}).',
  deliveryFailingText:
    'Elevate versucht es noch eine Weile; hat die Person die App entfernt oder den Chat verlassen, kann die Nachricht nicht zugestellt werden.',
  teamsAnswered: 'Teams antwortete {status}',
  noAnswer: 'keine Antwort',
  deliveryFailingSummary: 'Elevate: eine Nachricht schlägt wiederholt fehl',
  alertTitle: '⚠ Elevate braucht Aufmerksamkeit',
  alertSummary: 'Elevate-Warnung: {environment}',
  cleanupFailing:
    'Elevate konnte {requester} in {environment} nach {attempts} Versuchen den Systemadministrator nicht entziehen ({error}); es versucht es mit wachsenden Abständen weiter. Prüfen Sie den Anwendungsbenutzer von Elevate in dieser Umgebung und seine Graph-Berechtigungen.',
  pimRoleLost:
    'Beim Verlängern der Erhöhung von {requester} in {environment} wurde {role} in PIM deaktiviert, und PIM hat weder die neue Aktivierung noch die verbliebene Zeit angenommen ({detail}). Die Rolle ist in PIM nicht mehr aktiv: Elevate beendet die Erhöhung jetzt und entzieht den Systemadministrator. Prüfen Sie die PIM-Zuweisungen von {requester}.',
  extensionNotSaved:
    'Eine Verlängerung der Erhöhung von {requester} in {environment} hat {role} in PIM bis {until} verlängert, aber ein anderes Tippen oder eine andere Instanz hatte die Verlängerung inzwischen übernommen, daher hat Elevate sie nicht erfasst. PIM kann später enden, als Elevate anzeigt: Prüfen Sie die PIM-Aktivierungen von {requester}.',
  anchorTitle: 'Audit-Anker: Eintrag #{seq}',
  anchorVerifiedOne: 'Elevate hat sein Audit-Protokoll geprüft: 1 Eintrag bis #{seq}{sealed}.',
  anchorVerifiedMany: 'Elevate hat sein Audit-Protokoll geprüft: {count} Einträge bis #{seq}{sealed}.',
  anchorSealedWith: ', versiegelt mit dem Schlüssel "{keyId}"',
  anchorRequestedBy: 'Veröffentlicht auf Wunsch von {name}.',
  anchorKeep: 'Bewahren Sie diesen Beitrag auf: Damit erkennt eine spätere Prüfung gelöschte oder veränderte Einträge bis #{seq}. Ausführen:',
  anchorSummary: 'Elevate-Audit-Anker: --anchor {value}',
  auditBrokenTitle: '⚠ Prüfung des Audit-Protokolls fehlgeschlagen',
  auditBrokenText:
    'Eintrag #{seq}: {reason}. Es wurde kein Anker veröffentlicht. Prüfen Sie den Speicher mit "npm run audit -- --verify --anchor <seq>:<hash>" und dem neuesten hier geposteten Anker.',
  auditSealedTitle: 'Audit-Protokoll mit einem Audit-Schlüssel versiegelt',
  auditSealedText:
    'Elevate hat {count} ohne Audit-Schlüssel geschriebene Einträge (#1-#{count}, Kette {chain}) in Eintrag #{seq} mit dem Schlüssel "{keyId}" versiegelt. Einmal erwartet, beim Umstieg auf Einträge mit Schlüssel; zu jeder anderen Zeit wurden Einträge ohne Schlüssel an Elevate vorbei in den Speicher geschrieben.',
  chainIntact: 'intakt',
  chainBroken: 'unterbrochen bei #{seq}: {reason}',
  auditAlertSummary: 'Elevate: {title}',
  pimApprovalTitle: 'PIM-Genehmigung: {requester} in {environment}',
  pimApproved: 'PIM-Genehmiger {approver} hat die PIM-Aktivierung von {role} für {environment} durch {requester} genehmigt.',
  pimDenied: 'PIM-Genehmiger {approver} hat die PIM-Aktivierung von {role} für {environment} durch {requester} abgelehnt ({reason}).',
  aRole: 'einer Rolle',
  pimApprovalSummary: 'Elevate-PIM-Genehmigung: {requester}',
  approvalTitle: 'Genehmigung: {requester} in {environment}',
  approvalWhat: 'die Anfrage von {requester} für {role} in {environment}',
  approvalApproved: '{approver} hat {what} genehmigt: genehmigt ({approvals} von {required}). Die anfragende Person kann jetzt aktivieren.',
  approvalVote: '{approver} hat {what} genehmigt ({approvals} von {required}).',
  approvalWaits: 'Für {what} fehlen noch Genehmigungen (benötigt: {required}).',
  approvalDenied: '{what}: abgelehnt.',
  approvalExpired: '{what}: ohne Entscheidung abgelaufen.',
  approvalLapsed: '{what}: genehmigt, aber nicht rechtzeitig aktiviert.',
  approvalSummary: 'Elevate-Genehmigung: {requester}',
  reminderSummary: 'Elevate-Erinnerung: {requester} in {environment}',
  elevationSummary: 'Elevate: {outcome}: {requester} in {environment}',
};
