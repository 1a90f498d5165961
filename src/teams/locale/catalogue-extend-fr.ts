/** Les mots d’Elevate pour prolonger une élévation (issue #16), en français : les mêmes clés que catalogue-extend-en.ts. */
export const EXTEND_FR = {
  extend: 'Prolonger de {duration}',
  left: 'Vous pouvez encore la prolonger de {duration} au plus ({count} prolongation(s) restante(s)).',
  noneLeft: 'Elle ne peut plus être prolongée.',
  extendedTitle: '✅ Prolongée : {environment} jusqu’à {until}',
  extendedText: '{role} et Administrateur système restent jusque-là ({duration} de plus). {left}',
  approvalTitle: 'Prolongation envoyée pour approbation',
  approvalText: 'La stratégie Elevate exige une approbation pour les prolongations. Une fois approuvée, sélectionnez Activer sur la demande approuvée.',
  refusedTitle: 'Non prolongée',
  breakGlass: 'Une élévation d’urgence n’est jamais prolongée. Pour plus de temps, demandez une élévation normale.',
  notActive: 'Votre élévation dans {environment} n’est plus active.',
  ended: 'Votre élévation dans {environment} est déjà terminée.',
  notAllowed: 'La stratégie Elevate n’autorise pas de prolongation ici.',
  countExhausted: 'Vous avez utilisé toutes les prolongations que la stratégie Elevate autorise pour cette élévation.',
  totalExceeded: 'C’est plus que ce que la stratégie Elevate autorise : au plus {duration} de plus.',
  tooShort: 'PIM exige au moins 5 minutes : prolongez de 5 minutes ou plus.',
  notEligible: 'Vous n’êtes plus éligible à {role} dans PIM : impossible de prolonger.',
  pimMaximum: 'PIM autorise au plus {duration} par activation pour {role} : prolongez de moins.',
  pimRefused: 'PIM n’a pas accepté la prolongation ({detail}). Votre élévation se termine à l’heure prévue.',
  pimApprovalRequired:
    'PIM exige une approbation pour activer {role} : Elevate ne le prolonge donc pas, car PIM retiendrait la nouvelle activation pour ses approbateurs et vous pourriez perdre le rôle entre-temps. Votre élévation se termine à l’heure prévue ; pour plus de temps, demandez une nouvelle élévation quand elle se termine.',
  notStarted:
    'Votre élévation dans {environment} est planifiée et n’a pas encore commencé : il n’y a rien à prolonger. Une fois commencée, dites prolonger ; pour l’allonger avant, annulez-la et redemandez-la avec la durée voulue.',
  pimRoleLost:
    'PIM n’a pas accepté la prolongation, et Elevate n’a pas pu rendre à votre rôle le temps restant ({detail}). {role} n’est plus actif : Elevate termine cette élévation maintenant et l’équipe de sécurité a été prévenue. Demandez une nouvelle élévation si vous en avez encore besoin.',
  tooSoonTitle: 'Trop tôt pour prolonger',
  tooSoonText: 'PIM exige que votre rôle soit actif depuis 5 minutes avant qu’Elevate puisse le prolonger ici. Réessayez à partir de l’heure indiquée.',
  busy: 'Un autre clic prolonge cette élévation en ce moment ; sa carte montre le résultat.',
  alreadyExtended: 'Cette élévation a déjà été prolongée ; elle se termine maintenant à l’heure indiquée.',
  nothingToExtend: 'Rien à prolonger',
  noActive: 'Vous n’avez aucune élévation active à prolonger.',
  onlyElevated: 'Seule la personne élevée peut la prolonger.',
};
