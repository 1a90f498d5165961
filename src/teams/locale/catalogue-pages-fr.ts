import type { Catalogue } from './catalogue-en.js';

/** Pages du navigateur après la connexion et connexion forte pour approuver, en français (clés de catalogue-pages-en.ts). */
export const SIGN_IN_PAGE_FR: Catalogue['signInPage'] = {
  noCodeTitle: 'La connexion n’a pas abouti',
  noCodeText: 'Entra ID n’a pas renvoyé de code de connexion. Fermez cette fenêtre et réessayez depuis Teams.',
  signedInTitle: 'Connecté',
  signedInText: 'Vous êtes connecté. Fermez cette fenêtre et revenez dans Teams : Elevate reprend là où il s’était arrêté.',
  refusedTitle: 'La connexion n’a pas pu être utilisée',
  refusedText: 'Fermez cette fenêtre et recommencez depuis Teams.',
  approvalRecordedTitle: 'Approbation enregistrée',
  approvalRecordedText: 'Votre approbation est enregistrée avec votre connexion forte. Fermez cette fenêtre et revenez dans Teams.',
  approvalNotRecordedTitle: 'Approbation non enregistrée',
  closeAndTapAgain: '{reason} Fermez cette fenêtre et touchez de nouveau Approuver dans Teams.',
  closeAndReturn: '{reason} Fermez cette fenêtre et revenez dans Teams.',
  busy: 'De nombreux approbateurs décidaient en même temps. Fermez cette fenêtre et touchez de nouveau Approuver dans Teams.',
};

export const STRONG_SIGN_IN_FR: Catalogue['strongSignIn'] = {
  title: 'Connexion forte requise pour approuver',
  message:
    'Votre approbation de la demande de {requester} pour {role} dans {environment} ne compte qu’après une nouvelle connexion forte (contexte d’authentification {context} de l’accès conditionnel). Rien n’est encore enregistré.',
  hint: 'Sélectionnez Se connecter et terminez la connexion dans le navigateur : votre approbation est enregistrée à votre retour. Le lien ne fonctionne qu’une fois. Un refus ne demande pas de connexion.',
  otherUser: 'Vous vous êtes connecté avec un autre utilisateur que l’approbateur qui a touché Approuver. Rien n’a été enregistré.',
  missingContext: 'Votre connexion ne satisfait pas la connexion forte exigée pour cette approbation (contexte d’authentification). Rien n’a été enregistré.',
  issuedBeforeTap: 'Votre connexion était antérieure à votre appui : cette approbation demande une nouvelle connexion. Rien n’a été enregistré.',
  signInAgain: '{reason} Touchez Approuver pour vous reconnecter.',
  notRecorded: 'Votre approbation n’a pas été enregistrée : touchez de nouveau Approuver.',
};
