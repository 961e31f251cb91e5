import type { Page } from 'playwright-core';

const nextYear = new Date().getUTCFullYear() + 1;

/**
 * Fills the application form with valid answers, as an applicant would, wherever it is on the
 * page (Playwright's selectors reach into open shadow roots, so embedded forms too).
 */
export async function fillApplication(page: Page, { cv, lastName = 'Lovelace', email = 'ada@example.com' }: { cv: string; lastName?: string; email?: string }): Promise<void> {
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
