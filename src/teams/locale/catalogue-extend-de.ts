/** Elevates Texte zum Verlängern einer Erhöhung (issue #16), Deutsch: dieselben Schlüssel wie catalogue-extend-en.ts. */
export const EXTEND_DE = {
  extend: 'Um {duration} verlängern',
  left: 'Du kannst noch um bis zu {duration} verlängern ({count} Verlängerung(en) übrig).',
  noneLeft: 'Sie kann nicht mehr verlängert werden.',
  extendedTitle: '✅ Verlängert: {environment} bis {until}',
  extendedText: '{role} und Systemadministrator bleiben bis dahin ({duration} mehr). {left}',
  approvalTitle: 'Verlängerung zur Genehmigung gesendet',
  approvalText: 'Die Elevate-Richtlinie verlangt für Verlängerungen eine Genehmigung. Wenn sie genehmigt ist, wähle Aktivieren auf der genehmigten Anfrage.',
  refusedTitle: 'Nicht verlängert',
  breakGlass: 'Eine Notfall-Erhöhung wird nie verlängert. Für mehr Zeit fordere eine normale Erhöhung an.',
  notActive: 'Deine Erhöhung in {environment} ist nicht mehr aktiv.',
  ended: 'Deine Erhöhung in {environment} ist bereits zu Ende.',
  notAllowed: 'Die Elevate-Richtlinie erlaubt hier keine Verlängerungen.',
  countExhausted: 'Du hast alle Verlängerungen genutzt, die die Elevate-Richtlinie für diese Erhöhung erlaubt.',
  totalExceeded: 'Das ist mehr, als die Elevate-Richtlinie erlaubt: höchstens noch {duration}.',
  tooShort: 'PIM braucht mindestens 5 Minuten: verlängere um 5 Minuten oder mehr.',
  notEligible: 'Du bist in PIM nicht mehr für {role} berechtigt, daher kann nicht verlängert werden.',
  pimMaximum: 'PIM erlaubt für {role} höchstens {duration} pro Aktivierung: verlängere um weniger.',
  pimRefused: 'PIM hat die Verlängerung nicht angenommen ({detail}). Deine Erhöhung endet zur bisherigen Zeit.',
  pimApprovalRequired:
    'PIM verlangt für {role} eine Genehmigung zur Aktivierung, daher verlängert Elevate nicht: PIM würde die neue Aktivierung für seine Genehmigenden zurückhalten, und du könntest die Rolle so lange verlieren. Deine Erhöhung endet zur bisherigen Zeit; für mehr Zeit fordere nach ihrem Ende eine neue an.',
  notStarted:
    'Deine Erhöhung in {environment} ist geplant und hat noch nicht begonnen, daher gibt es nichts zu verlängern. Sobald sie begonnen hat, sage verlängern; um sie vorher länger zu machen, brich sie ab und fordere sie mit der benötigten Dauer neu an.',
  pimRoleLost:
    'PIM hat die Verlängerung nicht angenommen, und Elevate konnte deiner Rolle die verbliebene Zeit nicht zurückgeben ({detail}). {role} ist nicht mehr aktiv: Elevate beendet diese Erhöhung jetzt, und das Sicherheitsteam wurde informiert. Fordere eine neue Erhöhung an, wenn du sie noch brauchst.',
  tooSoonTitle: 'Zu früh zum Verlängern',
  tooSoonText: 'PIM verlangt, dass deine Rolle 5 Minuten aktiv war, bevor Elevate sie hier verlängern kann. Versuche es ab der angezeigten Zeit erneut.',
  busy: 'Ein anderer Klick verlängert diese Erhöhung gerade; ihre Karte zeigt das Ergebnis.',
  alreadyExtended: 'Diese Erhöhung wurde bereits verlängert; sie endet jetzt zur angezeigten Zeit.',
  nothingToExtend: 'Nichts zu verlängern',
  noActive: 'Du hast keine aktive Erhöhung, die verlängert werden kann.',
  onlyElevated: 'Nur die erhöhte Person kann verlängern.',
};
