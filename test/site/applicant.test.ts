import { describe, expect, inject, it } from 'vitest';
import { STAGE_OF_STATUS, APPLICATION_STATUSES, PROCESS_STAGES } from '#functions/storage/status.ts';
import { translate } from '#src/i18n/ui.ts';
import { expectPrivate, setStatusInInbox, signInLocally, submitThroughApi } from '#test/support/inbox.ts';
import { applicationFormData } from '#test/support/applicant.ts';

// The applicant's own page behind the private link, as the built Worker serves it (GDPR Art. 15
// and 17). The logic behind it is tested in workerd in test/functions/applicants.test.ts.
const site = inject('siteUrl');
const origin = new URL(site).origin;

const get = (url: string) => fetch(new URL(url, site), { redirect: 'manual' });
/** A form post as a browser sends it for the withdraw button: an empty url-encoded form. */
const post = (url: string, headers: Record<string, string> = { Origin: origin }) => fetch(new URL(url, site), { method: 'POST', body: new URLSearchParams(), headers, redirect: 'manual' });
/** The same link with its last character changed: the right shape, never issued. */
const tampered = (link: string) => link.replace(/(.)\/$/, (_, last: string) => `${last === 'A' ? 'B' : 'A'}/`);

describe('the private link', () => {
  it('shows what is stored, in the applicant’s language: reference, status in plain words, answers, consent and the CV', async () => {
    const { reference, link } = await submitThroughApi(site, { firstName: 'Zoë', motivation: '<b>bold</b> claims' }, 'de');
    expect(link).toMatch(new RegExp(`^${origin}/de/application/[A-Za-z0-9_-]{43}/$`));

    const response = await get(link);

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<strong class="reference">${reference}</strong>`);
    expect(html).toContain('Eingegangen, noch nicht gesichtet');
    expect(html).toContain('Zoë');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt; claims');
    expect(html).toMatch(/bestätigt, die Datenschutzhinweise \(Fassung [^)]+\) gelesen zu haben/);
    expect(html).toContain('Zurückziehen und jetzt löschen');
  });

  it('is never cached or indexed, and never sent to other sites as a referrer', async () => {
    const { link } = await submitThroughApi(site);
    for (const url of [link, `${link}withdraw`, `${link}cv`]) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expectPrivate(response, url);
    }
    // The pages say their encoding (issue 9, finding 7).
    expect((await get(link)).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers other methods with 405', async () => {
    const { link } = await submitThroughApi(site);
    const response = await post(link);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect((await fetch(`${link}withdraw`, { method: 'PUT', headers: { Origin: origin } })).status).toBe(405);
  });

  it('serves the applicant’s CV as an attachment', async () => {
    const { reference, link, cv } = await submitThroughApi(site);
    const response = await get(`${link}cv`);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${reference}.pdf"`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(cv);
  });

  it('answers a tampered or made-up link with the site’s 404, the same for every shape, and as private as the page itself', async () => {
    const { link } = await submitThroughApi(site);
    for (const url of [tampered(link), link.replace(/[^/]+\/$/, 'ML-AAAAAA/'), link.replace(/[^/]+\/$/, 'x/'), `${tampered(link)}cv`, `${tampered(link)}withdraw`]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-type'), url).toBe('text/html; charset=utf-8');
      expectPrivate(response, url);
      expect(await response.text()).toContain('Page not found');
    }
    const withdraw = await post(`${tampered(link)}withdraw`);
    expect(withdraw.status).toBe(404);
    expectPrivate(withdraw);
  });
});

/** The page's <head>, and its <main>. */
const parts = (html: string) => ({ head: /<head>[\s\S]*<\/head>/.exec(html)?.[0] ?? '', main: /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '' });

describe('the confirmation after a submission without JavaScript (review findings 2 and 4)', () => {
  for (const [locale, label, hint] of [
    ['en', 'Your private link', 'Bookmark this link or copy it somewhere safe'],
    ['de', 'Ihr privater Link', 'Setzen Sie ein Lesezeichen auf diesen Link oder kopieren Sie ihn an einen sicheren Ort'],
  ] as const) {
    it(`shows the private link it speaks of: in full to select and copy, labelled, as a link, with the hint to bookmark it (${locale})`, async () => {
      const response = await fetch(new URL(`${locale}/jobs/machine-learning-intern/apply`, site), { method: 'POST', body: applicationFormData(), headers: { Origin: origin }, redirect: 'manual' });
      const location = response.headers.get('location') ?? '';
      const link = new URL(location.replace(/\?.*$/, ''), site).href;
      expect(link).toMatch(new RegExp(`^${origin}/${locale}/application/[A-Za-z0-9_-]{43}/$`));

      for (const page of [location, link]) {
        const { main } = parts(await (await get(page)).text());
        expect(main, page).toContain(`<label for="private-link">${label}</label>`);
        expect(main, page).toMatch(new RegExp(`<p class="hint" id="private-link-hint">${hint}[^<]*</p>`));
        expect(main, page).toMatch(new RegExp(`<input id="private-link" type="text" readonly value="${link}" aria-describedby="private-link-hint"`));
        expect(main, page).toContain(`<a id="application-link" href="${link}" data-link>${translate(locale, 'confirm.link')}</a>`);
      }
    });
  }

  it('says what happens next as the application’s status has it, also when the confirmation is opened again later', async () => {
    const { reference, link } = await submitThroughApi(site, {}, 'en');
    const cookie = await signInLocally(site);
    for (const status of APPLICATION_STATUSES) {
      if (status !== 'new') await setStatusInInbox(site, cookie, reference, status);
      const { main } = parts(await (await get(`${link}?submitted=stored`)).text());
      for (const stage of PROCESS_STAGES) {
        const step = `<li>${translate('en', `confirm.step1.${stage}`)}</li>`;
        if (stage === STAGE_OF_STATUS[status]) expect(main, status).toContain(step);
        else expect(main, status).not.toContain(step);
      }
      expect(main, status).toContain(translate('en', `applicant.status.${status}`));
    }
  });
});

describe('the head of every private page (review finding 10)', () => {
  it('names no address of its own: no canonical, hreflang or og:url, and no private link’s token', async () => {
    const { reference, link } = await submitThroughApi(site, {}, 'de');
    const deleted = await submitThroughApi(site);
    await post(`${deleted.link}withdraw`);
    const cookie = await signInLocally(site);
    const token = (url: string) => /application\/([^/]+)\//.exec(url)?.[1] ?? '';

    // The applicant's pages carry the link's token in their address; the inbox's, references.
    const pages: Array<[string, Record<string, string>]> = [
      [link, {}],
      [`${link}?submitted=stored`, {}],
      [`${link}?submitted=duplicate`, {}],
      [`${link}withdraw`, {}],
      [deleted.link, {}],
      [new URL('de/recruiters/', site).href, { Cookie: cookie }],
      [new URL('de/recruiters/jobs/machine-learning-intern/', site).href, { Cookie: cookie }],
      [new URL(`de/recruiters/applications/${reference}/`, site).href, { Cookie: cookie }],
      [new URL('de/recruiters/sign-in', site).href, {}],
    ];
    for (const [url, headers] of pages) {
      const response = await fetch(url, { headers, redirect: 'manual' });
      expect([200, 410], url).toContain(response.status);
      const { head } = parts(await response.text());
      expect(head, url).toContain('<meta name="robots" content="noindex">');
      expect(head, url).not.toMatch(/og:url|rel="canonical"|hreflang/);
      for (const secret of [token(link), token(deleted.link)]) expect(head, url).not.toContain(secret);
    }
  });
});

describe('withdraw and delete now', () => {
  it('asks first, deletes on POST with a redirect, then says in the applicant’s language that the data is deleted', async () => {
    const { reference, link } = await submitThroughApi(site, {}, 'de');
    const confirm = await (await get(`${link}withdraw`)).text();
    expect(confirm).toContain('Bewerbung zurückziehen und löschen?');
    expect(confirm).toContain(`Ihre Bewerbung ${reference} für`);
    expect(confirm).toContain(`<form method="post" action="${new URL(link).pathname}withdraw"`);

    expect(confirm).toContain('Gelöscht wird nur diese Bewerbung: Jede andere, die Sie uns gesendet haben, bleibt unverändert und hat ihren eigenen privaten Link.');

    const response = await post(`${link}withdraw`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(new URL(link).pathname);

    const deleted = await get(response.headers.get('location') ?? '');
    expect(deleted.status).toBe(410);
    expect(deleted.statusText).toBe('Gone');
    const html = await deleted.text();
    expect(html).toContain('Ihre Bewerbung wurde gelöscht');
    expect(html).toMatch(/Sie haben die Bewerbung hinter diesem Link am \d+\. \S+ \d{4} zurückgezogen; sie wurde gelöscht\./);
    expect(html).toContain('Andere Bewerbungen, die Sie uns gesendet haben, sind davon nicht betroffen.');
    expect(html).not.toContain('Grace');
    expect((await get(`${link}cv`)).status).toBe(404);
  });

  it('used again (a reload, a second click) deletes nothing more and says it is already deleted', async () => {
    const { link } = await submitThroughApi(site, {}, 'en');
    await post(`${link}withdraw`);
    const again = await post(`${link}withdraw`);
    expect(again.status).toBe(303);
    const page = await get(link);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Your application has been deleted');
    // The confirmation step of a deleted application leads to that page.
    expect((await get(`${link}withdraw`)).headers.get('location')).toBe(new URL(link).pathname);
  });

  it('says the hiring team deleted an application it deleted, also after a withdrawal was sent, whatever the address says (finding 9)', async () => {
    const { reference, link } = await submitThroughApi(site, {}, 'en');
    const cookie = await signInLocally(site);
    const deletion = await fetch(new URL(`en/recruiters/applications/${reference}/`, site), {
      method: 'POST',
      body: new URLSearchParams({ action: 'delete', confirm: 'yes' }),
      headers: { Cookie: cookie, Origin: origin },
      redirect: 'manual',
    });
    expect(deletion.status).toBe(303);

    const withdrawal = await post(`${link}withdraw`);
    expect(withdrawal.status).toBe(303);
    for (const url of [withdrawal.headers.get('location') ?? '', `${link}?withdrawn=1`]) {
      const html = await (await get(url)).text();
      expect(html, url).toMatch(/The hiring team deleted the application behind this link on \w+ \d+, \d{4}\./);
      expect(html, url).not.toContain('You withdrew');
      expect(html, url).not.toContain('You have withdrawn');
    }
  });

  it('refuses a withdrawal that is no form with 415 in words for the applicant, private, deleting nothing', async () => {
    const { link } = await submitThroughApi(site, {}, 'de');
    const refused = await fetch(new URL(`${link}withdraw`, site), { method: 'POST', body: '{}', headers: { Origin: origin, 'Content-Type': 'application/json' }, redirect: 'manual' });
    expect(refused.status).toBe(415);
    expectPrivate(refused);
    expect(await refused.text()).toBe('Diese Anfrage konnte nicht gelesen werden; es wurde nichts geändert. Bitte öffnen Sie Ihren privaten Link und versuchen Sie es erneut.');
    expect((await get(link)).status).toBe(200);
  });

  it('refuses a withdrawal posted from another site with 403 in words about withdrawing, private, deleting nothing', async () => {
    const { link } = await submitThroughApi(site, {}, 'de');
    for (const headers of [{ Origin: 'https://evil.example' }, {}, { Origin: origin, 'Sec-Fetch-Site': 'cross-site' }]) {
      const refused = await post(`${link}withdraw`, headers);
      expect(refused.status).toBe(403);
      expectPrivate(refused);
      expect(await refused.text()).toBe('Diese Anfrage kam von einer anderen Website; es wurde nichts geändert. Um Ihre Bewerbung zurückzuziehen, öffnen Sie Ihren privaten Link und tun Sie es dort.');
    }
    expect((await get(link)).status).toBe(200);
  });
});
