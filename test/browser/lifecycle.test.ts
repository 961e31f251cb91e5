import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '#test/support/chromium.ts';
import { startSite, type RunningSite } from '#test/support/site.ts';

// The life cycle as a visitor sees it, on the fixture set: a closed posting, one whose
// validThrough passed before the build, and one that expires while its static page is out.
let site: RunningSite;
let browser: Browser;

beforeAll(async () => {
  site = await startSite({ outDir: 'test/.tmp/lifecycle-dist', env: { CONTENT_DIR: 'test/fixtures/many' } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

describe('a posting that no longer takes applications', () => {
  for (const slug of ['closed-posting', 'expired-posting']) {
    it(`(${slug}) says so, offers no form and carries no JobPosting markup`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(new URL(`en/jobs/${slug}/`, site.url).href);
      await expect(page.getByText('This position is no longer accepting applications.').isVisible()).resolves.toBe(true);
      await expect(page.locator('#apply').count()).resolves.toBe(0);
      await expect(page.locator('script[type="application/ld+json"]').count()).resolves.toBe(0);
      await page.goto(new URL('en/', site.url).href);
      await expect(page.locator(`a[href$="/jobs/${slug}/"]`).count()).resolves.toBe(0);
      await context.close();
    });
  }

  it('closes on its static page once validThrough passes, without a rebuild', async () => {
    const context = await browser.newContext();
    // The visitor's clock is a day past the posting's last day (2099-12-31 in Munich).
    await context.clock.install({ time: new Date('2100-01-01T12:00:00Z') });
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/open-with-deadline/', site.url).href);
    await expect.poll(() => page.locator('[data-closed-notice]').isVisible()).toBe(true);
    await expect(page.locator('#apply').isHidden()).resolves.toBe(true);
    await expect(page.locator('[data-apply-link]').isHidden()).resolves.toBe(true);
    await context.close();
  });

  it('stays open on the same page before the deadline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('de/jobs/open-with-deadline/', site.url).href);
    await expect(page.locator('[data-closed-notice]').isHidden()).resolves.toBe(true);
    await expect(page.locator('#apply').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-apply-link]').isVisible()).resolves.toBe(true);
    await context.close();
  });
});
