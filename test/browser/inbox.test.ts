import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { wcagViolations } from '#test/support/axe.ts';
import { launchChromium } from '#test/support/chromium.ts';
import { LOCAL_RECRUITER } from '#test/support/global-setup.ts';
import { submitThroughApi } from '#test/support/inbox.ts';

// A recruiter and an applicant at work, in Chromium, on the production Worker served as
// `npm start` serves it with README's local sign-in configured (test/support/global-setup.ts).
const site = inject('siteUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Signs in through the local sign-in page, as README tells a recruiter to. */
async function signIn(page: Page, locale: 'en' | 'de' = 'en'): Promise<void> {
  await page.goto(new URL('recruiters/', site).href);
  await expect.poll(() => page.url()).toMatch(new RegExp(`/${locale}/recruiters/sign-in$`));
  await page.getByRole('button', { name: locale === 'en' ? `Sign in as ${LOCAL_RECRUITER}` : `Als ${LOCAL_RECRUITER} anmelden` }).click();
  await expect.poll(() => page.url()).toMatch(new RegExp(`/${locale}/recruiters/$`));
}

describe('a recruiter', () => {
  it('signs in locally, opens an application, downloads the CV and rejects it', async () => {
    const { reference, cv } = await submitThroughApi(site, { firstName: 'Katherine', lastName: 'Johnson' });
    const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();

    await signIn(page);
    await expect(page.getByText(`Signed in as ${LOCAL_RECRUITER}`).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Machine Learning Intern', exact: true }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Applications: Machine Learning Intern');
    await page.getByRole('link', { name: reference }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe(`Application ${reference}`);
    await expect(page.getByText('Katherine').first().isVisible()).resolves.toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Download CV/ }).click()]);
    expect(download.suggestedFilename()).toBe(`${reference}.pdf`);
    expect(readFileSync((await download.path())!)).toEqual(cv);

    await page.getByLabel('Status').selectOption('rejected');
    await page.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(() => page.url()).toMatch(/\?done=status-changed&status=rejected$/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Status changed to “Rejected”.');
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('rejected');
    await expect(page.getByText(/^Process ended /).isVisible()).resolves.toBe(true);
    const history = await page.locator('.history li').allTextContents();
    expect(history).toEqual([expect.stringMatching(/CV downloaded · recruiter@example\.com$/), expect.stringMatching(/Status changed: New → Rejected · recruiter@example\.com$/)]);
    // A reload after the redirect posts nothing again.
    await page.reload();
    await expect(page.locator('.history li').count()).resolves.toBe(2);
    await context.close();
  });

  it('works the inbox in German, with the language switch', async () => {
    await submitThroughApi(site);
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await signIn(page, 'de');
    await expect(page.locator('h1').textContent()).resolves.toBe('Bewerbungen');
    await page.getByRole('link', { name: 'EN – English' }).click();
    await expect.poll(() => page.url()).toMatch(/\/en\/recruiters\/$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Applications');
    await context.close();
  });
});

describe('an applicant without JavaScript', () => {
  it('withdraws through the private link after a confirmation step, and the link then says the data is deleted', async () => {
    const { reference, link } = await submitThroughApi(site, {}, 'de');
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(link);
    await expect(page.locator('.reference').textContent()).resolves.toBe(reference);

    await page.getByRole('link', { name: 'Zurückziehen und jetzt löschen' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Bewerbung zurückziehen und löschen?');
    await page.getByRole('button', { name: 'Ja, zurückziehen und jetzt löschen' }).click();

    await expect.poll(() => page.url()).toBe(link);
    await expect(page.locator('h1').textContent()).resolves.toBe('Ihre Bewerbung wurde gelöscht');
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Sie haben die Bewerbung hinter diesem Link am .+ zurückgezogen; sie wurde gelöscht\.$/);
    await page.reload();
    await expect(page.locator('h1').textContent()).resolves.toBe('Ihre Bewerbung wurde gelöscht');
    await context.close();
  });
});

describe('accessibility of the private pages (axe-core, WCAG 2.2 AA)', () => {
  it('finds no violation in the inbox, on the applicant’s page and its confirmation step, light and dark', async () => {
    const { reference, link } = await submitThroughApi(site, { links: 'https://example.org/a', motivation: 'Why me' });
    const deleted = await submitThroughApi(site);
    await fetch(`${deleted.link}withdraw`, { method: 'POST', body: new URLSearchParams(), headers: { Origin: new URL(site).origin } });
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ bypassCSP: true, colorScheme });
      const page = await context.newPage();
      await page.goto(new URL('en/recruiters/sign-in', site).href);
      expect(await wcagViolations(page), 'sign-in').toEqual([]);
      await signIn(page);
      for (const path of ['en/recruiters/', 'en/recruiters/jobs/machine-learning-intern/', `de/recruiters/applications/${reference}/`]) {
        await page.goto(new URL(path, site).href);
        expect(await wcagViolations(page), path).toEqual([]);
      }
      for (const url of [link, `${link}?submitted=stored`, `${link}?submitted=duplicate`, `${link}withdraw`, deleted.link]) {
        await page.goto(url);
        expect(await wcagViolations(page), url).toEqual([]);
      }
      await context.close();
    }
  });
});
