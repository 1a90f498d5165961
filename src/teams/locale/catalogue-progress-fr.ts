import type { Catalogue } from './catalogue-en.js';

/** What a running step says on the requester's card (domain/progress-text.ts), in French. */
export const PROGRESS_DETAIL_FR: Catalogue['progressDetail'] = {
  waitingForPim: 'En attente de l’activation du rôle par PIM (vérification {check})…',
  alreadySystemAdmin: 'Vous êtes déjà administrateur système ici : Elevate laisse cet accès permanent en place.',
  notSeenYet:
    'Power Platform ne voit pas encore votre rôle PIM (tentative {attempt}) ; un changement de rôle peut mettre jusqu’à deux heures à lui parvenir. Elevate continue d’essayer et vous dira ce qu’il en est.',
  notSeenYetUntilPimEnd:
    'Power Platform ne voit pas encore votre rôle PIM (tentative {attempt}) ; un changement de rôle peut mettre jusqu’à deux heures à lui parvenir. Elevate continue d’essayer jusqu’à la fin de votre activation PIM : si Power Platform n’a pas suivi d’ici là, demandez une nouvelle élévation.',
};
