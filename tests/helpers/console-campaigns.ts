/**
 * The console's campaigns page as marketing uses it, for the browser test: what the page shows
 * beside what the API reports (admin token) after each action.
 */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { authHeaders } from './api-auth';

export interface MarketingSeen {
  labels: string[];
  pausedInPage: string;
  pausedInApi: string;
  audienceInPage: string;
  audienceInApi: number;
  keptAfterNo: string;
  confirmShown: boolean;
  cancelledInPage: string;
  buttonsAfterCancel: string[];
  cancelledInApi: string;
  refusal: string;
}

/** A campaign as the API reports it now (admin token), read beside what the page shows. */
async function campaignInApi(app: FastifyInstance, id: string): Promise<{ status: string }> {
  const res = await app.inject({ method: 'GET', url: `/v1/campaigns/${id}`, headers: authHeaders });
  return res.json<{ status: string }>();
}

const weeklyOffer = (id: string) => ({
  id,
  template: 'weekly-offer',
  channels: ['email'],
  segment: { all: [{ field: 'country', eq: 'FR' }] },
  recurrence: { days: ['mon'], time: '10:00', timezone: 'Europe/Paris' },
  content: { title: 'Offre de la semaine', body: '-20 % sur tout', url: 'https://shop.example.com/o' },
});

/** Two weekly offers to French contacts, created by an admin: `weekly-gold` and `spring-sale`. */
export async function createCampaigns(app: FastifyInstance): Promise<void> {
  for (const id of ['weekly-gold', 'spring-sale']) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: authHeaders,
      payload: weeklyOffer(id),
    });
    if (res.statusCode !== 201) throw new Error(`campaign ${id} not created: ${res.body}`);
  }
}

/**
 * On a page signed in as marketing, in French: pauses `weekly-gold`, counts its audience, cancels
 * it (asked twice), then tries to pause `spring-sale` after an admin cancelled it behind the page.
 */
export async function useCampaignsPage(page: Page, app: FastifyInstance): Promise<MarketingSeen> {
  await page.getByRole('link', { name: 'Campagnes' }).click();
  await page.getByRole('heading', { name: 'Campagnes' }).waitFor();
  const row = (id: string) => page.locator(`[data-testid=campaign][data-id="${id}"]`);
  const status = (id: string) => row(id).getByTestId('campaign-status');
  const gold = row('weekly-gold');
  await gold.waitFor();
  const labels = await gold.getByTestId('campaign-controls').getByRole('button').allInnerTexts();
  await gold.getByRole('button', { name: 'Suspendre' }).click();
  await status('weekly-gold').filter({ hasText: 'paused' }).waitFor();
  const pausedInPage = await status('weekly-gold').innerText();
  const pausedInApi = (await campaignInApi(app, 'weekly-gold')).status;
  await gold.getByRole('button', { name: "Compter l'audience" }).click();
  const audienceInPage = await gold.getByTestId('audience').innerText();
  const audience = await app.inject({
    method: 'GET',
    url: '/v1/campaigns/weekly-gold/audience',
    headers: authHeaders,
  });
  await gold.getByRole('button', { name: 'Annuler la campagne' }).click();
  const confirmShown = await gold.getByRole('alertdialog').isVisible();
  await gold.getByRole('button', { name: 'La garder' }).click();
  const keptAfterNo = (await campaignInApi(app, 'weekly-gold')).status;
  await gold.getByRole('button', { name: 'Annuler la campagne' }).click();
  await gold.getByRole('button', { name: "Oui, l'annuler" }).click();
  await status('weekly-gold').filter({ hasText: 'cancelled' }).waitFor();
  const cancelledInPage = await status('weekly-gold').innerText();
  const buttonsAfterCancel = await gold.getByTestId('campaign-controls').getByRole('button').allInnerTexts();
  const cancelledInApi = (await campaignInApi(app, 'weekly-gold')).status;
  // Someone else cancels the spring sale while the page still shows it scheduled.
  await app.inject({ method: 'POST', url: '/v1/campaigns/spring-sale/cancel', headers: authHeaders });
  await row('spring-sale').getByRole('button', { name: 'Suspendre' }).click();
  const refusal = await row('spring-sale').getByTestId('campaign-result').innerText();
  return {
    ...{ labels, pausedInPage, pausedInApi, audienceInPage, keptAfterNo, confirmShown },
    ...{ cancelledInPage, buttonsAfterCancel, cancelledInApi, refusal },
    audienceInApi: audience.json<{ count: number }>().count,
  };
}
