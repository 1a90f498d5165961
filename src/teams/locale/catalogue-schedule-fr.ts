import type { Catalogue } from './catalogue-en.js';

/** Élévations planifiées (issue #16), en français : les mêmes clés que catalogue-schedule-en.ts. */
export const SCHEDULE_FR: Catalogue['schedule'] = {
  badStart: 'Je n’ai pas pu lire le début « {typed} ». Essayez par exemple « tomorrow 22:00 », « at 9:00 », « friday 9am » ou « from 22:00 to 01:00 ».',
  pastStart: 'Le début « {typed} » est passé. Dites par exemple « tomorrow 9:00 ».',
  tooFarAhead: 'Le début « {typed} » est trop loin : Elevate planifie au plus {days} jours à l’avance.',
  startWithNow: 'Le bris de glace (« maintenant ») commence tout de suite et ne peut pas être planifié pour plus tard.',
  startsAt: 'Début',
  requestNote: 'Planifiée pour {start} : rien n’est activé avant, et la durée compte à partir du début.',
  scheduledTitle: '🗓 Planifiée : {role} dans {environment} pour {duration}',
  scheduledText:
    'Au début, Elevate vérifie à nouveau votre éligibilité et les stratégies, vous connecte via Teams et vous élève ; si Teams ne peut pas vous connecter tout seul, vous recevez une carte Démarrer. Pour la déplacer, dites « move to tomorrow 23:00 » (à tout moment jusqu’au début).',
  approvedText: '{asked} Approuvée à l’avance : elle commence à l’heure prévue, et la durée compte à partir de là.',
  waitingNote: 'Planifiée pour plus tard : les approbateurs peuvent décider avant le début.',
  start: 'Démarrer',
  dueTitle: 'Votre élévation planifiée dans {environment} doit commencer',
  dueText: 'Elevate a besoin de votre connexion pour la démarrer. Sélectionnez Démarrer (Teams peut vous connecter tout seul avant).',
  startingNotice: 'Votre élévation planifiée dans {environment} commence',
  startingTitle: '🗓 Début maintenant : votre élévation planifiée dans {environment}',
  startingText: 'Elevate active {role} pour {duration} ; la carte de demande ci-dessus montre la progression.',
  notStartedNotice: 'Votre élévation planifiée dans {environment} n’a pas commencé',
  notYetTitle: 'Pas encore',
  notYetText: 'Cette élévation commence à l’heure prévue ; Elevate la démarre alors.',
  movedTitle: '🗓 Déplacée : votre élévation dans {environment}',
  movedText: 'Elle commence maintenant à {start} (avant : {previous}).',
  nothingToMove: 'Vous n’avez aucune élévation planifiée qui n’a pas commencé. Dites « statut » pour voir vos élévations.',
  moveUsage: 'Dites quand elle doit commencer, par exemple « move to tomorrow 23:00 ».',
  cannotMove: 'Cette élévation ne peut plus être déplacée : {reason}',
  alreadyStarted: 'elle a commencé ou est terminée.',
  statusScheduled: '{head} : planifiée',
  statusApprovedScheduled: '{head} : approuvée, planifiée',
  statusAwaitingScheduled: '{head} : en attente d’approbation, planifiée',
};
