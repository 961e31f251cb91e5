/**
 * Embedding in Chromium, through the test host of test/host/ (test/support/embed.ts): the
 * posting inside the host's page in each of the three ways, styles kept apart, applications
 * sent through the host with and without JavaScript and found in D1 and R2, each leading to
 * the applicant's private page as our page alone (never inside the host's, near its scripts),
 * its link's token never in the host's DOM after a submission with JavaScript,
 * the host hearing `careers:application-submitted`, and axe on the composed page.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { fillApplication } from '#test/support/applicant.ts';
import { wcagViolations } from '#test/support/axe.ts';
import { launchChromium } from '#test/support/chromium.ts';
import { fetchLocal, storedApplications } from '#test/support/embed.ts';
import { pdfBytes, writeUpload } from '#test/support/pdf.ts';

const hosts = inject('embedOrigins');
const JOB = 'machine-learning-intern';
const TITLE_DE = 'Praktikant Machine Learning (m/w/d)';
let browser: Browser;
let cv: string;
/** References of the applications sent in this file, checked against storage at the end. */
const sent: string[] = [];

beforeAll(async () => {
  cv = writeUpload('embed-cv.pdf', pdfBytes(6144));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The three ways: where the German posting is shown on the host. */
const WAYS = [
  { name: 'way 1, path mount', posting: `${hosts.site}/careers/de/jobs/${JOB}/`, hostShell: false },
  { name: 'way 2, Web Fragments', posting: `${hosts.webFragments}/careers/de/jobs/${JOB}/`, hostShell: true },
  { name: 'way 3, DSD fragment', posting: `${hosts.dsd}/stellen/${JOB}/`, hostShell: true },
] as const;

async function withPage<T>(options: Parameters<Browser['newContext']>[0], run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await run(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** The applicant's private page (`…/application/<token>/`, with or without a query). */
const PRIVATE_PAGE = /\/careers\/de\/application\/[A-Za-z0-9_-]{43}\/(\?.*)?$/;

/** The main frame's next page load of the applicant's private page, with its response. */
const privatePageLoad = (page: Page) => page.waitForResponse((response) => response.request().isNavigationRequest() && response.request().frame() === page.mainFrame() && PRIVATE_PAGE.test(response.url()));

/**
 * The applicant's private page as it must reach the browser in every way: our own page with
 * our private headers (never stored, never indexed, no referrer to other sites), and no host
 * page around it whose scripts could read the link's token or the answers.
 */
async function expectOwnPrivatePage(page: Page, response: Response): Promise<void> {
  const headers = await response.allHeaders();
  expect(headers).toMatchObject({ 'cache-control': 'private, no-store', 'referrer-policy': 'strict-origin', 'x-robots-tag': 'noindex, nofollow' });
  expect(headers['x-web-fragment-id'], 'not composed by the Web Fragments gateway').toBeUndefined();
  await expect(page.locator('web-fragment, web-fragment-host, .host-bar').count()).resolves.toBe(0);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de-DE');
}

/**
 * Every place in the page's DOM whose attribute, form value or text contains `secret`: the
 * document, every open shadow root reachable from it (recursively) and every same-origin
 * frame's document (Web Fragments' hidden iframe included), as a host script that walks the
 * DOM (a session-replay recorder, analytics) could read them.
 */
const placesHolding = (page: Page, secret: string) =>
  page.evaluate((secret) => {
    const found: string[] = [];
    const visit = (root: Node, where: string): void => {
      // The page's own TreeWalker: Web Fragments patches `ownerDocument` of nodes in its shadow root.
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT | NodeFilter.SHOW_COMMENT);
      for (let node: Node | null = walker.currentNode; node; node = walker.nextNode()) {
        if (node.nodeType !== Node.ELEMENT_NODE) {
          if (node.nodeValue?.includes(secret)) found.push(`${where} text`);
          continue;
        }
        const element = node as Element;
        const name = `${where} ${element.localName}${element.id ? `#${element.id}` : ''}`;
        for (const attribute of element.attributes) if (`${attribute.name}=${attribute.value}`.includes(secret)) found.push(`${name}[${attribute.name}]`);
        if ('value' in element && String(element.value).includes(secret)) found.push(`${name}.value`);
        if (element.shadowRoot) visit(element.shadowRoot, `${name} >>`);
        if (element.localName === 'template') visit((element as HTMLTemplateElement).content, `${name} template`);
        const frame = element.localName === 'iframe' ? (element as HTMLIFrameElement).contentDocument : null;
        if (frame) visit(frame, `${name} frame`);
      }
    };
    visit(document, 'document');
    return found;
  }, secret);

/** Computed styles of the first element matching `selector` (Playwright reaches into shadow roots). */
const styleOf = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((element) => {
    const style = getComputedStyle(element);
    return { color: style.color, fontFamily: style.fontFamily, textTransform: style.textTransform, backgroundColor: style.backgroundColor, lineHeight: style.lineHeight, fontSize: style.fontSize };
  });

describe('a German visitor at the host’s /careers/', () => {
  for (const origin of [hosts.site, hosts.webFragments]) {
    it(`lands on the German list (${origin === hosts.site ? 'path mount' : 'Web Fragments'})`, async () => {
      await withPage({ locale: 'de-DE' }, async (page) => {
        await page.goto(`${origin}/careers/`);
        expect(page.url()).toBe(`${origin}/careers/de/`);
        await expect(page.locator('h1').first().textContent()).resolves.toBe('Offene Stellen');
        await expect(page.getByRole('link', { name: TITLE_DE }).getAttribute('href')).resolves.toBe(`/careers/de/jobs/${JOB}/`);
      });
    });
  }
});

for (const way of WAYS) {
  describe(way.name, () => {
    it('shows the posting inside the host’s page, with its form enhanced by our script', async () => {
      await withPage({}, async (page) => {
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(way.posting);
        await expect(page.locator('article h1').textContent()).resolves.toBe(TITLE_DE);
        if (way.hostShell) await expect(page.locator('.host-bar').first().textContent()).resolves.toContain('Example GmbH');
        await expect.poll(() => page.locator('#application-form').getAttribute('data-enhanced')).toBe('true');
        expect(errors).toEqual([]);
      });
    });

    it('brings the visitor from “Jetzt bewerben” at the top to the form, staying on the host’s page, the keyboard too', async () => {
      await withPage({ viewport: { width: 1280, height: 800 } }, async (page) => {
        await page.goto(way.posting);
        await expect.poll(() => page.locator('#application-form').getAttribute('data-enhanced')).toBe('true');
        const heading = page.locator('#apply-heading');
        await expect(heading.evaluate((element) => element.getBoundingClientRect().top)).resolves.toBeGreaterThan(800);
        await page.getByRole('link', { name: 'Jetzt bewerben' }).click();
        await expect.poll(() => heading.evaluate((element) => element.getBoundingClientRect().top)).toBeLessThan(400);
        expect(new URL(page.url()).pathname).toBe(new URL(way.posting).pathname);
        // The keyboard goes on inside the form.
        await page.keyboard.press('Tab');
        await expect(page.locator('#firstName').evaluate((field) => field.matches(':focus'))).resolves.toBe(true);
      });
    });

    if (way.hostShell) {
      it('keeps its look against the host’s CSS, except the theming contract, and leaves the host’s look alone', async () => {
        await withPage({}, async (page) => {
          await page.goto(way.posting);
          const ours = await styleOf(page, 'article h1');
          // The host says h1 { color: #b00020; text-transform: uppercase } and body { font-family: Georgia }.
          expect(ours.color).toBe('rgb(29, 29, 31)');
          expect(ours.textTransform).toBe('none');
          expect(ours.fontFamily).toMatch(/^system-ui/);
          const lead = await styleOf(page, 'article .lead');
          expect(lead.fontFamily).toMatch(/^system-ui/);
          expect(Number.parseFloat(lead.lineHeight) / Number.parseFloat(lead.fontSize)).toBeCloseTo(1.6, 2);
          // The host's --careers-accent reaches our buttons: the documented contract.
          await expect(styleOf(page, '#application-form button[type=submit]')).resolves.toMatchObject({ backgroundColor: 'rgb(107, 31, 143)' });
          // Nothing of ours reaches the host's own elements.
          const host = await page.evaluate(() => {
            const root = getComputedStyle(document.documentElement);
            const body = getComputedStyle(document.body);
            const bar = getComputedStyle(document.querySelector('.host-bar')!);
            return { rootBackground: root.backgroundColor, rootScheme: root.colorScheme, bodyFont: body.fontFamily, barPadding: bar.padding };
          });
          expect(host).toEqual({ rootBackground: 'rgba(0, 0, 0, 0)', rootScheme: 'normal', bodyFont: 'Georgia, "Times New Roman", serif', barPadding: '16px 32px' });
          if (way.name.startsWith('way 3')) await expect(styleOf(page, '.host-main > h1')).resolves.toMatchObject({ color: 'rgb(176, 0, 32)', textTransform: 'uppercase' });
        });
      });

      it('passes axe (WCAG 2.2 AA) on the composed host page', async () => {
        await withPage({ bypassCSP: true }, async (page) => {
          await page.goto(way.posting);
          await expect.poll(() => page.locator('#application-form').getAttribute('data-enhanced')).toBe('true');
          expect(await wcagViolations(page)).toEqual([]);
        });
      });
    }

    it('takes a complete application with JavaScript, the host hears careers:application-submitted, and the confirmation leads to the applicant’s private page alone', async () => {
      await withPage({}, async (page) => {
        await page.goto(way.posting);
        await page.evaluate(() => {
          const heard: unknown[] = [];
          (window as unknown as { heard: unknown[] }).heard = heard;
          document.addEventListener('careers:application-submitted', (event) => heard.push((event as CustomEvent).detail));
        });
        let documents = 0;
        page.on('request', (request) => void (request.resourceType() === 'document' && request.frame() === page.mainFrame() && (documents += 1)));
        await expect.poll(() => page.locator('#application-form').getAttribute('data-enhanced')).toBe('true');
        await fillApplication(page, { cv, email: `ada.js.${way.name.slice(4, 5)}@example.com` });
        // The JSON answer, as our script receives it: the private link and its token.
        const answer = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/api/applications'));
        await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
        const { link } = (await (await answer).json()) as { link: string };
        const token = new URL(link).pathname.match(/\/application\/([A-Za-z0-9_-]{43})\/$/)?.[1] ?? '';
        expect(token).toHaveLength(43);
        const done = page.locator('#application-done');
        await expect.poll(() => done.isVisible(), { timeout: 10_000 }).toBe(true);
        const reference = (await done.locator('[data-reference]').textContent()) ?? '';
        expect(reference).toMatch(/^ML-[2-9A-Z]{6}$/);
        sent.push(reference);
        expect(documents, 'no page load').toBe(0);
        await expect(page.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).resolves.toEqual([{ job: JOB, locale: 'de' }]);
        // The walk reaches our confirmation (its reference is there to read) ...
        expect(await placesHolding(page, reference)).not.toEqual([]);
        if (way.hostShell) {
          // ... but in a host's page, whose scripts can read it, not the private link's token
          // (review finding: it was the link field's value and the link's href).
          expect(await placesHolding(page, token)).toEqual([]);
          await expect(done.getByLabel('Ihr privater Link').isVisible()).resolves.toBe(false);
          await expect(done.getByText('Er steht vollständig auf Ihrer Bewerbungsseite', { exact: false }).isVisible()).resolves.toBe(true);
        } else {
          // On our own page (the host puts no scripts into it) the link is shown in full.
          expect(await placesHolding(page, token)).not.toEqual([]);
          await expect(done.getByLabel('Ihr privater Link').inputValue()).resolves.toBe(link);
          await expect(done.getByRole('button', { name: 'Ihre Bewerbungsseite öffnen' }).isVisible()).resolves.toBe(false);
        }
        const landing = privatePageLoad(page);
        await (way.hostShell ? done.getByRole('button', { name: 'Ihre Bewerbungsseite öffnen' }) : done.getByRole('link', { name: 'Ihre Bewerbung ansehen oder zurückziehen' })).click();
        // A full page load of the top-level page (in way 2 not Web Fragments' iframe), of our page alone,
        // which shows the link in full to bookmark or copy.
        const privatePage = await landing;
        expect(privatePage.url()).toBe(link);
        await expectOwnPrivatePage(page, privatePage);
        expect(new URL(page.url()).origin).toBe(way.name.startsWith('way 2') ? hosts.webFragments : hosts.site);
        expect(documents).toBe(1);
        await expect(page.locator('.reference').first().textContent()).resolves.toBe(reference);
        await expect(page.getByLabel('Ihr privater Link').inputValue()).resolves.toMatch(new RegExp(`/application/${token}/$`));
      });
    });

    it('takes a complete application without JavaScript: the redirect reaches the browser, then the applicant’s private page, ours alone', async () => {
      await withPage({ javaScriptEnabled: false }, async (page) => {
        await page.goto(way.posting);
        await fillApplication(page, { cv, email: `ada.nojs.${way.name.slice(4, 5)}@example.com` });
        const redirect = page.waitForResponse((response) => response.request().method() === 'POST');
        const landing = privatePageLoad(page);
        await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
        expect((await redirect).status()).toBe(303);
        const privatePage = await landing;
        expect(privatePage.url()).toMatch(/\?submitted=stored$/);
        await page.waitForLoadState();
        // Ways 1 and 2 land on the host's origin (below its /careers), way 3 on ours (SITE_URL);
        // in way 2 the host forwards the private page to us instead of piercing it into its page.
        const expected = way.name.startsWith('way 2') ? hosts.webFragments : hosts.site;
        expect(new URL(page.url()).origin).toBe(expected);
        await expectOwnPrivatePage(page, privatePage);
        await expect(page.locator('h1').last().textContent()).resolves.toBe('Vielen Dank für Ihre Bewerbung');
        const reference = (await page.locator('.reference').first().textContent()) ?? '';
        expect(reference).toMatch(/^ML-[2-9A-Z]{6}$/);
        sent.push(reference);
      });
    });
  });
}

describe('way 3 on a host page whose Referrer-Policy hides its origin', () => {
  it('refuses the application sent without JavaScript, keeps what was typed but the address and the file, and takes it from our page', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      // Served as some hosts do: the browser then sends `Origin: null` with the page's form posts.
      await page.route(`${hosts.dsd}/stellen/**`, async (route) => {
        // Fetched here, not by route.fetch(): Node does not resolve *.localhost.
        const response = await fetchLocal(route.request().url(), { headers: { Accept: 'text/html' } });
        const headers = Object.fromEntries([...response.headers].filter(([name]) => !['content-length', 'transfer-encoding'].includes(name)));
        await route.fulfill({ status: response.status, headers: { ...headers, 'referrer-policy': 'no-referrer' }, body: Buffer.from(await response.arrayBuffer()) });
      });
      await page.goto(`${hosts.dsd}/stellen/${JOB}/`);
      const email = 'ada.no-referrer@example.com';
      await fillApplication(page, { cv, email });
      const refused = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
      expect((await refused).status()).toBe(403);
      expect((await (await refused).request().allHeaders()).origin).toBe('null');
      await page.waitForLoadState();
      // Our own page, on our origin, with everything but the file and the e-mail address
      // filled in again (another site must not choose where the private link goes).
      expect(new URL(page.url()).origin).toBe(hosts.site);
      await expect(page.locator('#form-summary').textContent()).resolves.toContain('geben Sie Ihre E-Mail-Adresse erneut ein, hängen Sie Ihren Lebenslauf erneut an');
      await expect(page.inputValue('#email')).resolves.toBe('');
      await expect(page.inputValue('#university')).resolves.toBe('Technische Universität München');
      await expect(page.isChecked('#privacy')).resolves.toBe(true);
      await expect(page.inputValue('#cv')).resolves.toBe('');
      await page.fill('#email', email);
      await page.setInputFiles('#cv', cv);
      const accepted = page.waitForResponse((response) => response.request().method() === 'POST');
      await page.getByRole('button', { name: 'Bewerbung absenden' }).click();
      expect((await accepted).status()).toBe(303);
      await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/careers\/de\/application\/[A-Za-z0-9_-]{43}\/\?submitted=stored$/);
      await page.waitForLoadState();
      const reference = (await page.locator('.reference').first().textContent()) ?? '';
      expect(reference).toMatch(/^ML-[2-9A-Z]{6}$/);
      sent.push(reference);
    });
  });
});

describe('the skip link', () => {
  /** Where keyboard focus is, through shadow roots: the focused element's tag and id, and whether it is inside our <main>. */
  const focus = (page: Page) =>
    page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return { element: active ? `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}` : 'none', inMain: Boolean(active?.closest('main#main')) };
    });

  for (const way of WAYS.filter(({ name }) => !name.startsWith('way 3'))) {
    it(`takes keyboard users past our header to the main content (${way.name})`, async () => {
      await withPage({}, async (page) => {
        await page.goto(way.posting);
        const skip = page.getByRole('link', { name: 'Zum Inhalt springen' });
        // Inside a host's page, our script does what the browser cannot do there.
        if (way.hostShell) await expect.poll(() => skip.getAttribute('data-enhanced')).toBe('true');
        await skip.focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => focus(page)).toEqual({ element: 'main#main', inMain: true });
        await page.keyboard.press('Tab');
        // The next stop is in our content, not the header's brand link or language switch.
        await expect(focus(page)).resolves.toMatchObject({ inMain: true });
      });
    });
  }
});

describe('the color scheme', () => {
  it('follows the host page: a visitor who prefers dark sees our fragment light on a light-only host, and our own page dark', async () => {
    await withPage({ colorScheme: 'dark' }, async (page) => {
      await page.goto(`${hosts.dsd}/stellen/${JOB}/`);
      await expect(styleOf(page, 'article h1')).resolves.toMatchObject({ color: 'rgb(29, 29, 31)' });
      await page.goto(`${hosts.site}/careers/de/jobs/${JOB}/`);
      await expect(styleOf(page, 'article h1')).resolves.toMatchObject({ color: 'rgb(245, 245, 247)' });
    });
  });
});

describe('what was sent through the host', () => {
  it('is stored: one D1 row per application, each with its CV in R2', async () => {
    // With and without JavaScript in each way, and the one sent again from our page.
    expect(sent).toHaveLength(WAYS.length * 2 + 1);
    const stored = await storedApplications(sent);
    expect(stored.map(({ reference }) => reference).sort()).toEqual([...sent].sort());
    const expected = pdfBytes(6144);
    for (const application of stored) {
      expect(application).toMatchObject({ job_slug: JOB, locale: 'de', cv_size: expected.length });
      expect(application.cv.equals(expected), application.reference).toBe(true);
    }
  });
});
