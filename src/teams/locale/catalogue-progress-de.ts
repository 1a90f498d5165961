import type { Catalogue } from './catalogue-en.js';

/** What a running step says on the requester's card (domain/progress-text.ts), in German. */
export const PROGRESS_DETAIL_DE: Catalogue['progressDetail'] = {
  waitingForPim: 'Warten, bis PIM die Rolle aktiviert (Prüfung {check})…',
  alreadySystemAdmin: 'Sie sind hier bereits Systemadministrator: Elevate lässt diesen dauerhaften Zugriff bestehen.',
  notSeenYet:
    'Power Platform sieht Ihre PIM-Rolle noch nicht (Versuch {attempt}); Rollenänderungen können bis zu zwei Stunden brauchen. Elevate versucht es weiter und sagt Ihnen, wie es ausging.',
  notSeenYetUntilPimEnd:
    'Power Platform sieht Ihre PIM-Rolle noch nicht (Versuch {attempt}); Rollenänderungen können bis zu zwei Stunden brauchen. Elevate versucht es weiter, bis Ihre PIM-Aktivierung endet: Ist Power Platform bis dahin nicht so weit, fordern Sie eine neue Erhöhung an.',
};
