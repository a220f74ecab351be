/**
 * The console in a real browser (Debian's chromium driven by playwright-core) against a real
 * stack: the scenario runs on the time-skipping server up to an open hand-off task, then, with the
 * worker still running, the API listens on an ephemeral port and an agent and a finance manager
 * use the console as they would. Skipped only outside CI when /usr/bin/chromium is missing; in CI
 * a missing browser fails the run (.ci/run installs the `chromium` package).
 */
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporalHandoffActions } from '../../api/handoff-actions';
import { authHeaders, buildTestApi } from '../helpers/api-auth';
import { createCampaigns, useCampaignsPage, type MarketingSeen } from '../helpers/console-campaigns';
import { fixturePath, simulateFile } from '../helpers/simulate';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const NOW = '2026-04-10T10:00:00.000Z';
const skip = !existsSync(CHROMIUM) && !process.env['CI'];
if (skip)
  console.warn(`console.browser.test: ${CHROMIUM} is missing (apt-get install chromium); skipped outside CI`);

interface Seen {
  refusedToken: string;
  agentHeader: string;
  htmlLang: string | null;
  inboxRows: string[];
  overdueFlag: boolean;
  byAmount: string[];
  mine: string[];
  afterClaim: { status: string; owner: string };
  timeline: string[];
  refusal: string;
  financeLang: string | null;
  financeHeadings: string[];
  switchedHeadings: string[];
  campaignsForFinance: string;
  charts: { count: number; drawn: boolean[] };
  agentCampaigns: { alert: string; controls: number; buttons: number };
  marketing: MarketingSeen;
}
let seen: Seen | undefined;
/** Uncaught errors in the pages (none expected). */
const pageErrors: string[] = [];

async function tokenFor(app: FastifyInstance, name: string, role: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: authHeaders,
    payload: { name, role },
  });
  return res.json<{ token: string }>().token;
}

async function signIn(page: Page, base: string, token: string) {
  await page.goto(`${base}/console`);
  await page.getByLabel(/API token|Jeton d'API/).fill(token);
  await page.getByRole('button', { name: /Sign in|Se connecter/ }).click();
}

/** Records an action through the task page's form and waits for the page to show it. */
async function act(page: Page, type: string, fill: (page: Page) => Promise<unknown>) {
  await page.locator('select[name=type]').selectOption(type);
  await fill(page);
  await page.getByRole('button', { name: 'Record' }).click();
  await page.getByTestId('action-result').waitFor();
}

async function agentSession(browser: Browser, base: string, token: string): Promise<Partial<Seen>> {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, base, 'rl_not-a-token');
  const refusedToken = await page.getByRole('alert').innerText();
  await signIn(page, base, token);
  const agentHeader = await page.getByTestId('me').innerText();
  await page.getByTestId('task-row').first().waitFor();
  const inboxRows = await page.getByTestId('task-row').allInnerTexts();
  const overdueFlag = await page.getByTestId('task-row').first().locator('.overdue').isVisible();
  await page.locator('select[name=sort]').selectOption('amount');
  await page.getByTestId('task-row').first().filter({ hasText: 'INV-2' }).waitFor();
  const byAmount = await page.getByTestId('task-row').allInnerTexts();
  await page.getByRole('link', { name: /INV-1/ }).click();
  await page.getByTestId('task-status').waitFor();
  await act(page, 'claim', async () => {});
  await page.getByTestId('task-owner').filter({ hasText: 'Claire Martin' }).waitFor();
  const afterClaim = {
    status: await page.getByTestId('task-status').innerText(),
    owner: await page.getByTestId('task-owner').innerText(),
  };
  await act(page, 'call_outcome', (p) => p.locator('select[name=outcome]').selectOption('answered'));
  await act(page, 'promise_to_pay', async (p) => {
    await p.locator('input[name=promisedDate]').fill('2026-04-20');
    await p.locator('input[name=amount]').fill('1250.00');
  });
  await page.locator('[data-testid=timeline] li[data-type=promise_to_pay]').waitFor();
  const timeline = await page.locator('[data-testid=timeline] li').allInnerTexts();
  await page.getByRole('link', { name: 'Tasks', exact: true }).click();
  await page.getByRole('tab', { name: 'Mine' }).click();
  await page.getByTestId('task-row').first().filter({ hasText: 'claimed' }).waitFor();
  const mine = await page.getByTestId('task-row').allInnerTexts();
  await page.getByRole('link', { name: /INV-1/ }).click();
  await act(page, 'promise_to_pay', (p) => p.locator('input[name=promisedDate]').fill('2026-04-01'));
  const refusal = await page.getByTestId('action-result').innerText();
  const htmlLang = await page.getAttribute('html', 'lang');
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  const agentCampaigns = {
    alert: await page.getByRole('alert').innerText(),
    controls: await page.getByTestId('campaign-controls').count(),
    buttons: await page.getByRole('button', { name: /Pause|Resume|Cancel campaign|Count audience/ }).count(),
  };
  await context.close();
  return {
    ...{ refusedToken, agentHeader, htmlLang, inboxRows, overdueFlag, byAmount, mine },
    ...{ afterClaim, timeline, refusal, agentCampaigns },
  };
}

/** The part of a browser canvas the check reads (the project's TypeScript has no DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Which canvases have any pixel drawn on them (runs in the page: self-contained). */
const drawnCanvases = (elements: unknown[]) =>
  (elements as CanvasLike[]).map((canvas) => {
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) return true;
    return false;
  });

async function financeSession(browser: Browser, base: string, token: string): Promise<Partial<Seen>> {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, base, token);
  await page.getByRole('link', { name: 'Finance' }).click();
  await page.locator('input[name=from]').fill('2026-03-01');
  await page.locator('input[name=to]').fill('2026-04-10');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.getByRole('heading', { name: /Ancienneté des retards/ }).waitFor();
  const canvases = page.locator('canvas');
  const charts = {
    count: await canvases.count(),
    drawn: await canvases.evaluateAll(drawnCanvases),
  };
  const financeHeadings = await page.getByRole('heading').allInnerTexts();
  const financeLang = await page.getAttribute('html', 'lang');
  await page.locator('select[name=lang]').selectOption('en');
  await page.getByRole('heading', { name: /Overdue ageing/ }).waitFor();
  const switchedHeadings = await page.getByRole('heading').allInnerTexts();
  await page.getByRole('link', { name: 'Campaigns' }).click();
  const campaignsForFinance = await page.getByRole('alert').innerText();
  await context.close();
  return { charts, financeHeadings, financeLang, switchedHeadings, campaignsForFinance };
}

/** Marketing, in French, on the campaigns page (tests/helpers/console-campaigns.ts). */
async function marketingSession(browser: Browser, base: string, app: FastifyInstance, token: string) {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await createCampaigns(app);
  await signIn(page, base, token);
  const marketing = await useCampaignsPage(page, app);
  await context.close();
  return { marketing };
}

beforeAll(async () => {
  if (skip) return;
  await simulateFile(fixturePath('handoff-api.yaml'), {
    beforeTeardown: async (env, db) => {
      const app = await buildTestApi(db, {
        handoffActions: temporalHandoffActions(env.client),
        now: () => NOW,
      });
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      try {
        const agent = await agentSession(browser, base, await tokenFor(app, 'Claire Martin', 'agent'));
        const finance = await financeSession(browser, base, await tokenFor(app, 'Fiona Blanc', 'finance'));
        const marketing = await marketingSession(
          browser,
          base,
          app,
          await tokenFor(app, 'Manon Leroy', 'marketing'),
        );
        seen = { ...agent, ...finance, ...marketing } as Seen;
      } finally {
        await browser.close();
        await app.close();
      }
    },
  });
}, 240_000);

const observed = (): Seen => {
  if (!seen) throw new Error('the browser session did not run');
  return seen;
};

describe.skipIf(skip)('the console in chromium', () => {
  it('when a token is unknown, then sign-in says so; with an agent token, then the header shows the role', () => {
    expect(observed().refusedToken).toBe('This token was refused');
    expect(observed().agentHeader).toMatch(/Claire Martin · Role: agent/);
    expect(observed().htmlLang).toBe('en');
    expect(pageErrors).toEqual([]);
  });

  it('when an agent opens the inbox, then the open tasks are listed soonest due first, the overdue one flagged', () => {
    const rows = observed().inboxRows;
    expect(rows.map((r) => /INV-\d/.exec(r)?.[0])).toEqual(['INV-1', 'INV-2']);
    expect(rows[0]).toContain('€');
    expect(observed().overdueFlag).toBe(true);
    expect(observed().byAmount.map((r) => /INV-\d/.exec(r)?.[0])).toEqual(['INV-2', 'INV-1']);
  });

  it('when the agent has claimed a task, then the Mine tab lists it, and only it', () => {
    expect(observed().mine).toHaveLength(1);
    expect(observed().mine[0]).toMatch(/INV-1[\s\S]*claimed · Claire Martin/);
  });

  it('when the agent claims the task, records a call and a promise to pay, then the timeline shows them after the reminders', () => {
    expect(observed().afterClaim).toEqual({ status: 'claimed', owner: 'Claire Martin' });
    const timeline = observed().timeline;
    const index = (text: string) => timeline.findIndex((t) => t.includes(text));
    expect(index('formal-notice')).toBeGreaterThanOrEqual(0);
    expect(timeline.find((t) => t.includes('formal-notice'))).toMatch(/✓ consent/);
    expect(index('Call outcome')).toBeGreaterThan(index('Claim'));
    expect(timeline[index('Call outcome')]).toContain('outcome: answered');
    expect(timeline[index('Promise to pay')]).toContain('2026-04-20');
  });

  it('when a promise is dated in the past, then the API refusal is shown as it says why', () => {
    expect(observed().refusal).toMatch(/promisedDate/);
  });

  it('when finance opens the KPI page in French, then the charts are drawn', () => {
    expect(observed().financeLang).toBe('fr');
    expect(observed().financeHeadings).toEqual(
      expect.arrayContaining(['Relances par facture payée', 'Ancienneté des retards (EUR)']),
    );
    expect(observed().charts.count).toBeGreaterThanOrEqual(2);
    expect(observed().charts.drawn.every(Boolean)).toBe(true);
  });

  it('when the person switches to English, then the page speaks English', () => {
    expect(observed().switchedHeadings).toEqual(expect.arrayContaining(['Overdue ageing (EUR)']));
  });

  it('when finance opens the campaigns page, then it says the role may not see it (the API answered 403)', () => {
    expect(observed().campaignsForFinance).toBe('Your role may not see this page');
  });

  it('when marketing pauses a campaign from the console (in French), then the row says paused and so does the API', () => {
    const m = observed().marketing;
    expect(m.labels).toEqual(['Suspendre', 'Annuler la campagne', "Compter l'audience"]);
    expect(m.pausedInPage).toBe('paused');
    expect(m.pausedInApi).toBe('paused');
  });

  it('when marketing asks for the audience, then the page shows the count the API gives', () => {
    const m = observed().marketing;
    expect(m.audienceInApi).toBeGreaterThan(0);
    expect(m.audienceInPage).toBe(`Audience actuelle: ${m.audienceInApi}`);
  });

  it('when marketing cancels, then the console asks first; "keep it" changes nothing, "yes" cancels for good', () => {
    const m = observed().marketing;
    expect(m.confirmShown).toBe(true);
    expect(m.keptAfterNo).toBe('paused');
    expect(m.cancelledInPage).toBe('cancelled');
    expect(m.cancelledInApi).toBe('cancelled');
    expect(m.buttonsAfterCancel).toEqual(["Compter l'audience"]);
  });

  it('when the API refuses an action (the campaign was cancelled meanwhile), then its reason is shown', () => {
    expect(observed().marketing.refusal).toMatch(/spring-sale.*cancelled/);
  });

  it('when an agent opens the campaigns page, then it is refused (403) and no campaign control is shown', () => {
    expect(observed().agentCampaigns).toEqual({
      alert: 'Your role may not see this page',
      controls: 0,
      buttons: 0,
    });
  });
});
