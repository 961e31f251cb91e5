import type { Frame, Page } from 'playwright-core';
import { pdfBytes } from './pdf.ts';

const nextYear = new Date().getUTCFullYear() + 1;

/** The fields of a valid application (a fresh e-mail address each time, so it is never taken for a duplicate); `overrides` replace or add fields. */
export function applicationFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    firstName: 'Grace',
    lastName: 'Hopper',
    email: `grace.${Math.random().toString(36).slice(2)}@example.com`,
    university: 'LMU München',
    degree: 'phd',
    graduation: `${nextYear}-09`,
    startDate: `${nextYear}-04-01`,
    durationMonths: '6',
    privacy: 'yes',
    ...overrides,
  };
}

/** A complete, valid application as multipart form data, as the form sends it, with a CV. */
export function applicationFormData(overrides: Record<string, string> = {}): FormData {
  const form = new FormData();
  const fields = applicationFields(overrides);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('cv', new Blob([new Uint8Array(pdfBytes(8192))], { type: 'application/pdf' }), 'lebenslauf.pdf');
  return form;
}

/**
 * Fills the application form with valid answers, as an applicant would, wherever it is on the
 * page (Playwright's selectors reach into open shadow roots, so embedded forms too).
 */
export async function fillApplication(page: Page | Frame, { cv, lastName = 'Lovelace', email = `ada.${crypto.randomUUID().slice(0, 8)}@example.com` }: { cv: string; lastName?: string; email?: string }): Promise<void> {
  await page.fill('#firstName', 'Ada');
  await page.fill('#lastName', lastName);
  await page.fill('#email', email);
  await page.fill('#phone', '+49 89 1234567');
  await page.fill('#university', 'Technische Universität München');
  await page.selectOption('#degree', 'master');
  await page.fill('#graduation', `${nextYear}-07`);
  await page.fill('#startDate', `${nextYear}-03-01`);
  await page.fill('#durationMonths', '6');
  await page.fill('#links', 'https://github.com/ada\nhttps://scholar.google.com/citations?user=ada');
  await page.setInputFiles('#cv', cv);
  await page.check('#privacy');
}
