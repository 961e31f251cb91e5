import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fillApplication } from '#test/support/applicant.ts';
import { wcagViolations } from '#test/support/axe.ts';
import { launchChromium } from '#test/support/chromium.ts';
import { pdfBytes, writeUpload } from '#test/support/pdf.ts';
import { ROOT } from '#test/support/site.ts';

const site = inject('siteUrl');
let browser: Browser;
let pdf: string;
let notPdf: string;

beforeAll(async () => {
  mkdirSync(join(ROOT, 'test', '.tmp'), { recursive: true });
  pdf = writeUpload('cv.pdf', pdfBytes(4096));
  notPdf = writeUpload('renamed.pdf', Buffer.from('PK\u0003\u0004 this is a zip file, renamed'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The form filled in validly, in the applicant's language. */
const fillValid = (page: Page, locale: 'en' | 'de') => fillApplication(page, { cv: pdf, lastName: locale === 'de' ? 'Müller' : 'Lovelace' });

describe('applying without JavaScript', () => {
  for (const [locale, submit, thanks, received] of [
    ['en', 'Send application', 'Thank you for your application', 'We have received your application.'],
    ['de', 'Bewerbung absenden', 'Vielen Dank für Ihre Bewerbung', 'Wir haben Ihre Bewerbung erhalten.'],
  ] as const) {
    it(`sends the form and shows the reference on the applicant’s private page (${locale})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(new URL(`${locale}/jobs/machine-learning-intern/`, site).href);
      await fillValid(page, locale);
      await page.getByRole('button', { name: submit }).click();
      await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(new RegExp(`/${locale}/application/[A-Za-z0-9_-]{43}/\\?submitted=stored$`));
      await expect(page.locator('h1').textContent()).resolves.toBe(thanks);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain(received);
      const reference = await page.locator('.reference').textContent();
      expect(reference).toMatch(/^ML-[2-9A-Z]{6}$/);
      // Reloading the confirmation is a GET: nothing is sent again.
      await page.reload();
      await expect(page.locator('.reference').textContent()).resolves.toBe(reference);
      await context.close();
    });
  }

  it('shows every problem beside its field and in a summary that has focus, keeping the values', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/machine-learning-intern/', site).href);
    await fillValid(page, 'de');
    await page.fill('#email', 'keine-adresse');
    await page.fill('#durationMonths', '2');
    await page.setInputFiles('#cv', notPdf);
    const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
    await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
    expect((await response).status()).toBe(422);
    await page.waitForLoadState();
    const summary = page.locator('#form-summary');
    await expect(summary.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    const links = await summary.locator('a').allTextContents();
    expect(links).toEqual([
      'E-Mail-Adresse: Bitte geben Sie eine E-Mail-Adresse im Format name@example.com ein.',
      expect.stringMatching(/^Dauer in Monaten: .*3.*12/),
      expect.stringMatching(/^Lebenslauf: .*PDF/),
    ]);
    await expect(page.locator('#email-error').textContent()).resolves.toMatch(/name@example\.com/);
    await expect(page.locator('#email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#email').inputValue()).resolves.toBe('keine-adresse');
    await expect(page.locator('#lastName').inputValue()).resolves.toBe('Müller');
    await expect(page.locator('#degree').inputValue()).resolves.toBe('master');
    await expect(page.locator('#links').inputValue()).resolves.toContain('https://github.com/ada');
    await expect(page.locator('#privacy').isChecked()).resolves.toBe(true);
    await expect(page.locator('#cv').inputValue()).resolves.toBe('');
    await context.close();
  });

  it('passes axe (WCAG 2.2 AA) while errors are shown', async () => {
    // Render the 422 answer without JavaScript, then audit it with JavaScript on (axe needs it).
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL('en/jobs/machine-learning-intern/', site).href);
    await page.fill('#email', 'not-an-address');
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.waitForLoadState();
    const html = await page.content();
    await context.close();
    const audit = await browser.newContext({ bypassCSP: true });
    const auditPage = await audit.newPage();
    await auditPage.route('**/*', (route) => (route.request().resourceType() === 'document' ? route.fulfill({ body: html, contentType: 'text/html' }) : route.continue()));
    await auditPage.goto(new URL('en/jobs/machine-learning-intern/apply', site).href);
    await expect(auditPage.locator('#form-summary li').count()).resolves.toBeGreaterThan(3);
    expect(await wcagViolations(auditPage)).toEqual([]);
    await audit.close();
  });
});

describe('applying with JavaScript', () => {
  it('validates inline with the same messages, then sends without a page reload and shows the reference', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('en/jobs/machine-learning-intern/', site).href);
    let documentRequests = 0;
    page.on('request', (request) => {
      if (request.resourceType() === 'document') documentRequests += 1;
    });
    await page.getByRole('button', { name: 'Send application' }).click();
    const summary = page.locator('#form-summary');
    await expect(summary.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await expect(page.locator('#firstName-error').textContent()).resolves.toBe('Please fill in this field.');
    await fillValid(page, 'en');
    await page.setInputFiles('#cv', notPdf);
    await page.locator('#cv').dispatchEvent('change');
    await expect.poll(() => page.locator('#cv-error').textContent()).toMatch(/not a PDF/);
    await page.setInputFiles('#cv', pdf);
    await page.getByRole('button', { name: 'Send application' }).click();
    const done = page.locator('#application-done');
    await expect.poll(() => done.isVisible(), { timeout: 10_000 }).toBe(true);
    const reference = await done.locator('[data-reference]').textContent();
    expect(reference).toMatch(/^ML-[2-9A-Z]{6}$/);
    await expect(done.locator('[data-outcome]').textContent()).resolves.toBe(`We have received your application. Your reference is ${reference}.`);
    await expect(page.locator('#application-form').isHidden()).resolves.toBe(true);
    expect(documentRequests).toBe(0);
    // The private link opens the same application, as after a submission without JavaScript.
    await done.getByRole('link', { name: 'See or withdraw your application' }).click();
    await expect.poll(() => page.url()).toMatch(/\/en\/application\/[A-Za-z0-9_-]{43}\/$/);
    await expect(page.locator('.reference').textContent()).resolves.toBe(reference);
    await context.close();
  });

  it('shows the server’s localized problems inline when the server refuses a field', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/machine-learning-intern/', site).href);
    await fillValid(page, 'de');
    // A start date the browser accepts but the server refuses: in the past.
    await page.fill('#startDate', '2020-01-01');
    await page.evaluate(() => document.querySelector('#application-form')?.setAttribute('data-messages', '{}'));
    await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
    await expect.poll(() => page.locator('#startDate-error').textContent()).toMatch(/Vergangenheit/);
    await context.close();
  });

  it('still submits the plain form when the script fails to load', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/_astro/*.js', (route) => route.abort());
    await page.goto(new URL('en/jobs/machine-learning-intern/', site).href);
    await fillValid(page, 'en');
    await page.getByRole('button', { name: 'Send application' }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/en\/application\/[A-Za-z0-9_-]{43}\/\?submitted=stored$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Thank you for your application');
    await context.close();
  });
});
