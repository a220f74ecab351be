/**
 * Expiring items as the expiry kinds hand them to templates, with real-world lengths: long card
 * labels, masked card numbers ("Visa •••• 4242"), 12-character voucher codes, letters GSM-7 lacks
 * ("Noël", "Fête", "Île"), points lots from one point to thousands.
 */
import type { ItemLine } from '../../templates/expiry-variables';

export const card = (
  cardKind: 'loyalty' | 'payment',
  id: string,
  label: string,
  url: string | null,
): ItemLine => ({
  id,
  kind: 'card',
  cardKind,
  label,
  code: null,
  value: null,
  points: null,
  expiresOn: '2026-03-15',
  daysLeft: 7,
  url,
});
export const voucher = (id: string, label: string, code: string, minor: number): ItemLine => ({
  id,
  kind: 'voucher',
  cardKind: null,
  label,
  code,
  value: { minor, currency: 'EUR' },
  points: null,
  expiresOn: '2026-03-15',
  daysLeft: 3,
  url: `https://www.maison-exemple.fr/bons-d-achat/utiliser?code=${code}`,
});
export const lot = (id: string, points: number): ItemLine => ({
  id,
  kind: 'points',
  cardKind: null,
  label: 'Points fidélité',
  code: null,
  value: null,
  points,
  expiresOn: '2026-03-15',
  daysLeft: 7,
  url: `https://fidelite.maison-exemple.fr/mes-points?lot=${id}`,
});

export const loyaltyCards = [
  card(
    'loyalty',
    'LC-1',
    'Carte Fidélité Or Galeries Lafayette',
    'https://www.galerieslafayette.com/c/carte-fidelite/renouvellement?carte=GL-0042-7781-2290',
  ),
  card(
    'loyalty',
    'LC-2',
    'Carte Fidélité Printemps Haussmann',
    'https://www.printemps.com/fr/fr/carte-fidelite/renouveler?id=PH-88213',
  ),
  card(
    'loyalty',
    'LC-3',
    'Pass Cinéma Île-de-France',
    'https://www.maison-exemple.fr/fidelite/renouveler?carte=LC-3',
  ),
];
export const paymentCards = [
  card('payment', 'PM-1', 'Visa •••• 4242', 'https://www.maison-exemple.fr/mon-compte/moyens-de-paiement'),
  card(
    'payment',
    'PM-2',
    'Mastercard •••• 5454',
    'https://www.maison-exemple.fr/mon-compte/moyens-de-paiement',
  ),
  card(
    'payment',
    'PM-3',
    'American Express •••• 0005',
    'https://www.maison-exemple.fr/mon-compte/moyens-de-paiement',
  ),
];
export const vouchers = [
  voucher('V-1', 'Bon d’achat de 10 € — Noël', 'NOEL2026ABCD', 1000),
  voucher('V-2', 'Chèque cadeau Fête des mères de 20 €', 'MERES20PL7WT', 2000),
  voucher('V-3', 'Bon anniversaire fidélité Galeries Lafayette', 'ANNIV15XK9QZ', 1550),
];
export const lots = [lot('PTS-1', 12_500), lot('PTS-2', 800), lot('PTS-3', 1)];
