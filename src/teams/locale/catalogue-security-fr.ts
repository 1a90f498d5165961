import type { Catalogue } from './catalogue-en.js';

/** Les avis du canal de sécurité en français : mêmes clés et espaces réservés que catalogue-security-en.ts. */
export const SECURITY_FR: Catalogue['security'] = {
  deliveryFailingTitle: '⚠ Teams refuse sans cesse un message de Elevate',
  deliveryFailingMessage: 'Un message vers une conversation a échoué {attempts} fois ({answer}).',
  deliveryFailingUpdate: 'Une mise à jour de carte dans une conversation a échoué {attempts} fois ({answer}).',
  deliveryFailingText:
    'Elevate réessaie encore un moment ; si l’utilisateur a supprimé l’application ou quitté la conversation, le message ne peut pas être remis.',
  teamsAnswered: 'Teams a répondu {status}',
  noAnswer: 'pas de réponse',
  deliveryFailingSummary: 'Elevate : un message échoue sans cesse',
  alertTitle: '⚠ Elevate demande votre attention',
  alertSummary: 'Alerte Elevate : {environment}',
  cleanupFailing:
    'Elevate n’a pas pu retirer Administrateur système à {requester} dans {environment} après {attempts} tentatives ({error}) ; il réessaie à intervalles croissants. Vérifiez l’utilisateur d’application de Elevate dans cet environnement et ses autorisations Graph.',
  pimRoleLost:
    'La prolongation de l’élévation de {requester} dans {environment} a désactivé {role} dans PIM, et PIM n’a accepté ni la nouvelle activation ni le temps restant ({detail}). Le rôle n’est plus actif dans PIM : Elevate termine l’élévation maintenant et retire Administrateur système. Vérifiez les attributions PIM de {requester}.',
  extensionNotSaved:
    'Une prolongation de l’élévation de {requester} dans {environment} a prolongé {role} dans PIM jusqu’à {until}, mais un autre appui ou une autre instance avait repris la prolongation entre-temps : Elevate ne l’a pas enregistrée. PIM peut se terminer plus tard qu’Elevate ne l’indique : vérifiez les activations PIM de {requester}.',
  anchorTitle: 'Ancre d’audit : entrée n° {seq}',
  anchorVerifiedOne: 'Elevate a vérifié son journal d’audit : 1 entrée jusqu’au n° {seq}{sealed}.',
  anchorVerifiedMany: 'Elevate a vérifié son journal d’audit : {count} entrées jusqu’au n° {seq}{sealed}.',
  anchorSealedWith: ', scellée avec la clé « {keyId} »',
  anchorRequestedBy: 'Publiée à la demande de {name}.',
  anchorKeep: 'Conservez ce message : grâce à lui, une vérification ultérieure détecte les entrées jusqu’au n° {seq} supprimées ou réécrites. Exécutez :',
  anchorSummary: 'Ancre d’audit Elevate : --anchor {value}',
  auditBrokenTitle: '⚠ Échec de la vérification du journal d’audit',
  auditBrokenText:
    'Entrée n° {seq} : {reason}. Aucune ancre n’a été publiée. Vérifiez le stockage avec « npm run audit -- --verify --anchor <seq>:<hash> » et l’ancre la plus récente publiée ici.',
  auditSealedTitle: 'Journal d’audit scellé par une clé d’audit',
  auditSealedText:
    'Elevate a scellé {count} entrées écrites sans clé d’audit (n° 1 à {count}, chaîne {chain}) avec la clé « {keyId} » dans l’entrée n° {seq}. Attendu une fois, lors du passage aux entrées avec clé ; à tout autre moment, des entrées sans clé ont été écrites dans le stockage à l’insu de Elevate.',
  chainIntact: 'intacte',
  chainBroken: 'rompue au n° {seq} : {reason}',
  auditAlertSummary: 'Elevate : {title}',
  pimApprovalTitle: 'Approbation PIM : {requester} dans {environment}',
  pimApproved: 'L’approbateur PIM {approver} a approuvé l’activation PIM de {role} par {requester} pour {environment}.',
  pimDenied: 'L’approbateur PIM {approver} a refusé l’activation PIM de {role} par {requester} pour {environment} ({reason}).',
  aRole: 'un rôle',
  pimApprovalSummary: 'Approbation PIM Elevate : {requester}',
  approvalTitle: 'Approbation : {requester} dans {environment}',
  approvalWhat: 'la demande de {requester} pour {role} dans {environment}',
  approvalApproved: '{approver} a approuvé {what} : approuvée ({approvals} sur {required}). Le demandeur peut l’activer maintenant.',
  approvalVote: '{approver} a approuvé {what} ({approvals} sur {required}).',
  approvalWaits: '{what} attend {required} approbation(s).',
  approvalDenied: '{what} : refusée.',
  approvalExpired: '{what} : expirée sans décision.',
  approvalLapsed: '{what} : approuvée, mais pas activée à temps.',
  approvalSummary: 'Approbation Elevate : {requester}',
  reminderSummary: 'Rappel Elevate : {requester} dans {environment}',
  elevationSummary: 'Elevate : {outcome} : {requester} dans {environment}',
};
