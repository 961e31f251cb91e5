import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fillApplication } from '#test/support/applicant.ts';
import { setStatusInInbox, signInLocally } from '#test/support/inbox.ts';
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
    ['en', 'Send application', 'Thank you for your application', 'We have received your application, reference ML-'],
    ['de', 'Bewerbung absenden', 'Vielen Dank für Ihre Bewerbung', 'Wir haben Ihre Bewerbung erhalten, Referenznummer ML-'],
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
    await expect(done.locator('[data-outcome]').textContent()).resolves.toBe(
      `We have received your application, reference ${reference}. If you applied for this position before, your earlier application stays as it was, and the hiring team sees both; to take one back, use the private link in its confirmation.`,
    );
    await expect(page.locator('#application-form').isHidden()).resolves.toBe(true);
    expect(documentRequests).toBe(0);
    // The private link opens the same application, as after a submission without JavaScript.
    await done.getByRole('link', { name: 'See or withdraw your application' }).click();
    await expect.poll(() => page.url()).toMatch(/\/en\/application\/[A-Za-z0-9_-]{43}\/$/);
    await expect(page.locator('.reference').textContent()).resolves.toBe(reference);
    await context.close();
  });

  it('shows the private link in full on our page framed by a page of ours: only a host’s page gets the button', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const outer = new URL('framed-by-us/', site).href;
    await page.route(outer, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Framed</title><iframe src="/en/jobs/machine-learning-intern/" style="width:100%;height:3000px"></iframe>' }));
    await page.goto(outer);
    const frame = page.frames().find((candidate) => candidate.url().endsWith('/en/jobs/machine-learning-intern/'))!;
    await frame.waitForSelector('#application-form[data-enhanced="true"]');
    await fillApplication(frame, { cv: pdf });
    await frame.getByRole('button', { name: 'Send application' }).click();
    const done = frame.locator('#application-done');
    await expect.poll(() => done.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect(done.getByLabel('Your private link').inputValue()).resolves.toMatch(/\/en\/application\/[A-Za-z0-9_-]{43}\/$/);
    await expect(done.getByRole('button', { name: 'Open your application page' }).isVisible()).resolves.toBe(false);
    await context.close();
  });

  it('shows the private link in full, and says so truthfully when the same application is sent again after a decision (review findings 2 and 4)', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const email = `ada.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const send = async () => {
      await page.goto(new URL('en/jobs/machine-learning-intern/', site).href);
      await fillApplication(page, { cv: pdf, email });
      await page.getByRole('button', { name: 'Send application' }).click();
      const done = page.locator('#application-done');
      await expect.poll(() => done.isVisible(), { timeout: 10_000 }).toBe(true);
      const link = await done.getByLabel('Your private link').inputValue();
      await expect(done.getByRole('link', { name: 'See or withdraw your application' }).getAttribute('href')).resolves.toBe(link);
      // On our own page the link is shown, not hidden behind the button of a host's page.
      await expect(done.getByRole('button', { name: 'Open your application page' }).isVisible()).resolves.toBe(false);
      const visible = (text: string) => done.getByText(text, { exact: true }).isVisible();
      return { done, link, visible, reference: (await done.locator('[data-reference]').textContent()) ?? '' };
    };

    const first = await send();
    expect(first.link).toMatch(new RegExp(`^${new URL(site).origin}/en/application/[A-Za-z0-9_-]{43}/$`));
    await expect(first.visible('Thank you for your application')).resolves.toBe(true);
    await expect(first.visible('We already have this application')).resolves.toBe(false);
    await expect(first.visible('The recruiting team reviews your application and contacts you by e-mail.')).resolves.toBe(true);
    expect(await wcagViolations(page)).toEqual([]);

    await setStatusInInbox(site, await signInLocally(site), first.reference, 'rejected');
    const again = await send();

    expect(again.reference).toBe(first.reference);
    await expect(again.done.locator('[data-outcome]').textContent()).resolves.toBe(`We had already received exactly this application, reference ${first.reference}, so nothing was stored twice.`);
    await expect(again.visible('We already have this application')).resolves.toBe(true);
    await expect(again.visible('Thank you for your application')).resolves.toBe(false);
    await expect(again.visible('The recruiting process for this application has ended.')).resolves.toBe(true);
    await expect(again.visible('The recruiting team reviews your application and contacts you by e-mail.')).resolves.toBe(false);
    // A link of its own, to the same application.
    expect(again.link).not.toBe(first.link);
    await page.goto(again.link);
    await expect(page.locator('.reference').textContent()).resolves.toBe(first.reference);
    await context.close();
  });

  it('asks to choose, or to enter a month or a date, where a choice or a date is missing (de)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/machine-learning-intern/', site).href);
    await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
    await expect.poll(() => page.locator('#degree-error').textContent()).toBe('Bitte wählen Sie eine der Möglichkeiten aus.');
    await expect(page.locator('#graduation-error').textContent()).resolves.toBe('Bitte geben Sie einen Monat an.');
    await expect(page.locator('#startDate-error').textContent()).resolves.toBe('Bitte geben Sie ein Datum an.');
    await expect(page.locator('#firstName-error').textContent()).resolves.toBe('Bitte füllen Sie dieses Feld aus.');
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

/**
 * Presses and releases the mouse on the button as a person does, a moment apart, without
 * moving, while the links field (where the focus is) is still in view at the top: what its
 * check shows or hides then moves the button (scroll anchoring keeps only what is above it).
 */
async function pressAndRelease(page: Page, name: string) {
  const button = page.getByRole('button', { name });
  await page.locator('label[for=links]').evaluate((label) => label.scrollIntoView({ block: 'start' }));
  const box = (await button.boundingBox())!;
  expect(box.y + box.height, 'the button is in view with the links field').toBeLessThan(page.viewportSize()!.height);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  // What a check on leaving the field shows or hides lands while the button is held.
  await page.waitForTimeout(150);
  await page.mouse.up();
}

describe('the first click on the submit button (1280 × 900 px)', () => {
  it('shows the problems at once when leaving an invalid link field moves the button (de)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/machine-learning-intern/', site).href);
    await fillValid(page, 'de');
    await page.fill('#links', 'github.com/jonas');
    await page.focus('#links');
    await pressAndRelease(page, 'Bewerbung absenden');
    const summary = page.locator('#form-summary');
    await expect.poll(() => summary.isVisible(), { timeout: 5_000 }).toBe(true);
    await expect(summary.locator('a').allTextContents()).resolves.toEqual([expect.stringMatching(/^Links \(optional\): .*https:\/\//)]);
    await expect(summary.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await context.close();
  });

  it('sends the application at once when leaving a corrected link field removes its message (en)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(new URL('en/jobs/machine-learning-intern/', site).href);
    await fillValid(page, 'en');
    await page.fill('#links', 'github.com/ada');
    await page.locator('#links').blur();
    await expect.poll(() => page.locator('#links-error').isVisible()).toBe(true);
    await page.fill('#links', 'https://github.com/ada');
    await page.focus('#links');
    const sent = page.waitForRequest((request) => request.method() === 'POST', { timeout: 5_000 });
    await pressAndRelease(page, 'Send application');
    await sent;
    await expect.poll(() => page.locator('#application-done').isVisible(), { timeout: 10_000 }).toBe(true);
    await context.close();
  });
});

describe('applying from the top of the posting', () => {
  for (const [locale, width, height, label] of [
    ['en', 1280, 800, 'Apply now'],
    ['de', 320, 640, 'Jetzt bewerben'],
  ] as const) {
    it(`offers "${label}" in the first screen, which leads to the form (${width} px)`, async () => {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(new URL(`${locale}/jobs/machine-learning-intern/`, site).href);
      const link = page.getByRole('link', { name: label });
      const box = (await link.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      await link.click();
      await expect.poll(() => page.locator('#apply-heading').evaluate((heading) => heading.getBoundingClientRect().top)).toBeLessThan(height / 2);
      await expect(page.locator('#apply-heading').evaluate((heading) => heading.getBoundingClientRect().top)).resolves.toBeGreaterThanOrEqual(0);
      await context.close();
    });
  }
});

describe('a CV that is too large, without JavaScript', () => {
  it('gives the form back with every answer and the CV marked, in the page’s language', async () => {
    const big = writeUpload('too-large.pdf', pdfBytes(12 * 1024 * 1024));
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/machine-learning-intern/', site).href);
    await fillValid(page, 'de');
    await page.fill('#motivation', 'Ich möchte an Blickverfolgung arbeiten.');
    await page.setInputFiles('#cv', big);
    const response = page.waitForResponse((candidate) => candidate.request().method() === 'POST');
    await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
    expect((await response).status()).toBe(413);
    await page.waitForLoadState();
    const summary = page.locator('#form-summary');
    await expect(summary.locator('h2').textContent()).resolves.toMatch(/zu groß.*10 MB/);
    await expect(summary.locator('a').allTextContents()).resolves.toEqual([expect.stringMatching(/^Lebenslauf: Ihr Lebenslauf ist größer als 10 MB/)]);
    await expect(page.locator('#cv-error').textContent()).resolves.toMatch(/größer als 10 MB/);
    await expect(page.locator('#lastName').inputValue()).resolves.toBe('Müller');
    await expect(page.locator('#degree').inputValue()).resolves.toBe('master');
    await expect(page.locator('#motivation').inputValue()).resolves.toBe('Ich möchte an Blickverfolgung arbeiten.');
    await expect(page.locator('#privacy').isChecked()).resolves.toBe(true);
    await context.close();
  });
});
