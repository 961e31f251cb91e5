import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { wcagViolations } from '#test/support/axe.ts';
import { launchChromium } from '#test/support/chromium.ts';

const site = inject('siteUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('a visitor', () => {
  it('with a German browser reaching / lands on the German page and reaches the German posting', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(site);
    expect(new URL(page.url()).pathname).toBe('/de/');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de-DE');
    await page.getByRole('link', { name: 'Praktikant Machine Learning (m/w/d)' }).click();
    expect(new URL(page.url()).pathname).toBe('/de/jobs/machine-learning-intern/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Praktikant Machine Learning (m/w/d)');
    await context.close();
  });

  it('with a German browser following a link to /jobs/<slug>/ lands on the German posting', async () => {
    const context = await browser.newContext({ locale: 'de-AT' });
    const page = await context.newPage();
    await page.goto(new URL('jobs/machine-learning-intern/', site).href);
    expect(new URL(page.url()).pathname).toBe('/de/jobs/machine-learning-intern/');
    await context.close();
  });

  it('switches language on the same page, and the choice is remembered at the next visit', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/machine-learning-intern/', site).href);
    await page.getByRole('navigation', { name: 'Sprache' }).getByRole('link', { name: /EN/ }).click();
    expect(new URL(page.url()).pathname).toBe('/en/jobs/machine-learning-intern/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Machine Learning Intern');
    // The browser still prefers German, but the visitor chose English.
    await page.goto(site);
    expect(new URL(page.url()).pathname).toBe('/en/');
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: /DE/ }).click();
    expect(new URL(page.url()).pathname).toBe('/de/');
    await page.goto(site);
    expect(new URL(page.url()).pathname).toBe('/de/');
    await context.close();
  });

  it('can read the posting on a 320 px wide screen without scrolling sideways', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
    const page = await context.newPage();
    for (const path of ['en/jobs/machine-learning-intern/', 'de/jobs/machine-learning-intern/', 'de/']) {
      await page.goto(new URL(path, site).href);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });

  it('reaches the main content with the skip link, and sees where focus is', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('en/jobs/machine-learning-intern/', site).href);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    const outline = await skip.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#main');
    await context.close();
  });
});

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  const pages = ['', 'jobs/machine-learning-intern/', 'privacy/', 'imprint/', 'no-such-page/'];
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const locale of ['en', 'de']) {
      for (const path of pages) {
        it(`finds no violation on /${locale}/${path} (${colorScheme})`, async () => {
          const context = await browser.newContext({ bypassCSP: true, colorScheme });
          const page = await context.newPage();
          await page.goto(new URL(`${locale}/${path}`, site).href);
          expect(await wcagViolations(page)).toEqual([]);
          await context.close();
        });
      }
    }
  }
});
