import { request as httpRequest } from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import { APPLICANT_LINKS_PER_APPLICATION } from '#functions/storage/applicantLinks.ts';
import { translate } from '#src/i18n/ui.ts';
import { applicationFormData } from '#test/support/applicant.ts';
import { setStatusInInbox, signInLocally } from '#test/support/inbox.ts';
import { pdfBytes } from '#test/support/pdf.ts';

// The application routes as composed in the built Worker: the handlers themselves are
// tested in workerd against real D1/R2 in test/functions/.
const site = inject('siteUrl');
const origin = new URL(site).origin;
const application = applicationFormData;

const post = (path: string, body: FormData | string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, site), { method: 'POST', body, redirect: 'manual', headers: { Origin: origin, ...headers } });

describe('the form route without JavaScript', () => {
  it('answers a valid application with 303 to the applicant’s private page, which confirms it with the reference', async () => {
    const response = await post('de/jobs/machine-learning-intern/apply', application());
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/de\/application\/[A-Za-z0-9_-]{43}\/\?submitted=stored$/);
    // The redirect names the private link: as private as the page it leads to.
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin');
    const confirmation = await fetch(new URL(location, site));
    expect(confirmation.status).toBe(200);
    expect(confirmation.headers.get('cache-control')).toBe('private, no-store');
    const html = await confirmation.text();
    expect(html).toContain('Vielen Dank für Ihre Bewerbung');
    expect(html).toMatch(/Wir haben Ihre Bewerbung erhalten, Referenznummer ML-[2-9A-Z]{6}\. Falls Sie sich schon einmal auf diese Stelle beworben haben, bleibt die frühere Bewerbung unverändert/);
  });

  it('confirms a second application with the same e-mail address as it confirms a first one, naming no other reference (review of issue 11, finding 1)', async () => {
    const email = `someone.${Date.now()}@example.com`;
    const send = async (overrides: Record<string, string>, seed: number) => {
      const form = application({ email, ...overrides });
      form.set('cv', new Blob([new Uint8Array(pdfBytes(8192 + seed))], { type: 'application/pdf' }), 'cv.pdf');
      const response = await post('en/jobs/machine-learning-intern/apply', form);
      const location = response.headers.get('location') ?? '';
      const html = await (await fetch(new URL(location, site))).text();
      const reference = /<strong class="reference"[^>]*>([^<]+)</.exec(html)?.[1] ?? '';
      const outcome = /<p class="lead" role="status" data-outcome>([^<]*)<\/p>/.exec(html)?.[1]?.replaceAll(reference, '<reference>');
      return { location, reference, outcome, main: /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '' };
    };
    const expectedOutcome = 'We have received your application, reference <reference>. If you applied for this position before, your earlier application stays as it was, and the hiring team sees both; to take one back, use the private link in its confirmation.';
    const first = await send({}, 1);
    const second = await send({ firstName: 'Mallory', email: ` ${email.toUpperCase()} ` }, 2);

    expect(second.location).toMatch(/\?submitted=stored$/);
    expect(second.reference).not.toBe(first.reference);
    expect(second.main).not.toContain(first.reference);
    expect(second.outcome).toBe(first.outcome);
    expect(first.outcome).toBe(expectedOutcome);
  });

  it('answers the same submission twice (a double click) with the same application, saying it was already received', async () => {
    const form = application();
    const first = await post('en/jobs/machine-learning-intern/apply', form);
    const second = await post('en/jobs/machine-learning-intern/apply', form);
    expect(second.headers.get('location')).toMatch(/\?submitted=duplicate$/);
    const reference = (html: string) => /<strong class="reference"[^>]*>([^<]+)</.exec(html)?.[1];
    const [firstPage, secondPage] = await Promise.all([first, second].map(async (response) => (await fetch(new URL(response.headers.get('location') ?? '', site))).text()));
    expect(reference(firstPage ?? '')).toMatch(/^ML-[2-9A-Z]{6}$/);
    expect(reference(secondPage ?? '')).toBe(reference(firstPage ?? ''));
    expect(secondPage).toContain(`We had already received exactly this application, reference ${reference(firstPage ?? '')}, so nothing was stored twice.`);
  });

  for (const [locale, already, ended, thanks, review] of [
    ['en', 'We already have this application', 'The recruiting process for this application has ended.', 'Thank you for your application', 'The recruiting team reviews your application'],
    ['de', 'Diese Bewerbung liegt uns bereits vor', 'Das Auswahlverfahren für diese Bewerbung ist abgeschlossen.', 'Vielen Dank für Ihre Bewerbung', 'Das Recruiting-Team prüft Ihre Bewerbung'],
  ] as const) {
    it(`answers the same post again after a decision truthfully: already there, not thanks for a new one, and the process ended, not under review (${locale})`, async () => {
      const form = application();
      const first = await post(`${locale}/jobs/machine-learning-intern/apply`, form);
      const firstPage = await (await fetch(new URL(first.headers.get('location') ?? '', site))).text();
      const reference = /<strong class="reference"[^>]*>([^<]+)</.exec(firstPage)?.[1] ?? '';
      await setStatusInInbox(site, await signInLocally(site), reference, 'rejected');

      const again = await post(`${locale}/jobs/machine-learning-intern/apply`, form);
      expect(again.status).toBe(303);
      const location = again.headers.get('location') ?? '';
      expect(location).toMatch(new RegExp(`^/${locale}/application/[A-Za-z0-9_-]{43}/\\?submitted=duplicate$`));
      const html = await (await fetch(new URL(location, site))).text();
      const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';

      expect(/<h1[^>]*>([^<]*)<\/h1>/.exec(main)?.[1]).toBe(already);
      expect(html).toContain(`<title>${already} · `);
      expect(main).toContain(translate(locale, 'apply.outcome.duplicate', { reference }));
      expect(main).toContain(`<li>${ended}</li>`);
      expect(main).toContain(translate(locale, 'applicant.status.rejected'));
      expect(main).not.toContain(thanks);
      expect(main).not.toContain(review);
    });
  }

  it('answers a repeat past the bound of private links on the form’s own page: already there, the reference, and no link (200)', async () => {
    const form = application();
    const first = await post('en/jobs/machine-learning-intern/apply', form);
    const reference = /<strong class="reference"[^>]*>([^<]+)</.exec(await (await fetch(new URL(first.headers.get('location') ?? '', site))).text())?.[1] ?? '';
    for (let repeat = 1; repeat < APPLICANT_LINKS_PER_APPLICATION; repeat += 1) {
      expect((await post('en/jobs/machine-learning-intern/apply', form)).headers.get('location')).toMatch(/\?submitted=duplicate$/);
    }

    const past = await post('en/jobs/machine-learning-intern/apply', form);

    expect(past.status).toBe(200);
    expect(past.headers.get('cache-control')).toBe('private, no-store');
    const html = await past.text();
    const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
    expect(/<h1[^>]*>([^<]*)<\/h1>/.exec(main)?.[1]).toBe('We already have this application');
    expect(main).toContain(translate('en', 'apply.outcome.duplicateUnlinked', { reference }));
    expect(html).not.toContain('/application/');
    expect(main).not.toContain(translate('en', 'confirm.linkLabel'));
    expect(main).not.toContain('The recruiting team reviews your application');
  });

  it('no longer thanks anyone for a made-up reference: the old confirmation address is not found (issue 9, finding 5)', async () => {
    const response = await fetch(new URL('en/jobs/machine-learning-intern/applied?ref=ML-AAAAAA', site));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('ML-AAAAAA');
  });

  it('answers invalid input with 422 and the form again, in the page language, without caching', async () => {
    const response = await post('en/jobs/machine-learning-intern/apply', application({ email: 'not-an-address', durationMonths: '13' }));
    expect(response.status).toBe(422);
    expect(response.statusText).toBe('Unprocessable Content');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const html = await response.text();
    // The CV was attached and valid, yet it is not kept: the applicant is asked to attach it again.
    expect(html).toContain('For your security, the CV is not kept: please attach it again.');
    expect(html).toContain('<div id="form-summary" class="form-summary" tabindex="-1" role="alert" autofocus>');
    expect(html).toContain('href="#email"');
    expect(html).toContain('Enter an e-mail address in the format name@example.com.');
    expect(html).toContain('value="not-an-address"');
    expect(html).toContain('value="Hopper"');
  });

  it('does not ask to attach the CV “again” when none was attached', async () => {
    const form = application();
    form.delete('cv');
    const response = await post('de/jobs/machine-learning-intern/apply', form);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Bitte hängen Sie Ihren Lebenslauf als PDF-Datei an.');
    expect(html).not.toContain('Aus Sicherheitsgründen');
  });

  it('gives a CV that is too large back as 413 Content Too Large with every answer and the CV marked', async () => {
    const form = application({ lastName: 'Müller' });
    form.set('cv', new Blob([new Uint8Array(pdfBytes(11 * 1024 * 1024))], { type: 'application/pdf' }), 'big.pdf');
    const response = await post('de/jobs/machine-learning-intern/apply', form);
    expect(response.status).toBe(413);
    expect(response.statusText).toBe('Content Too Large');
    const html = await response.text();
    expect(html).toContain('Ihre Bewerbung ist zu groß.');
    expect(html).toMatch(/<p class="field-error" id="cv-error">Ihr Lebenslauf ist größer als 10 MB/);
    expect(html).toContain('value="Müller"');
    expect(html).not.toContain('Aus Sicherheitsgründen');
  });

  it('answers a sixth application to the posting from one e-mail address on one day with 429 and the form again, every answer kept', async () => {
    const email = `repeat.${Date.now()}@example.com`;
    // Five different applications (another CV each time), not one repeated: each is an application of its own.
    const take = (index: number) => {
      const form = application({ email, motivation: `Take ${index}` });
      form.set('cv', new Blob([new Uint8Array(pdfBytes(8192 + index))], { type: 'application/pdf' }), 'lebenslauf.pdf');
      return post('en/jobs/machine-learning-intern/apply', form);
    };
    for (let index = 1; index <= 5; index += 1) expect((await take(index)).status).toBe(303);
    const response = await take(6);
    expect(response.status).toBe(429);
    expect(response.statusText).toBe('Too Many Requests');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await response.text();
    expect(html).toContain('We have received too many applications for this position with this e-mail address today. Please try again tomorrow.');
    expect(html).toContain('>Take 6</textarea>');
  });

  it('lists the ways on from a refusal page one per line, not run together', async () => {
    const response = await post('en/jobs/machine-learning-intern/apply', 'firstName=Ada', { 'Content-Type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(response.statusText).toBe('Unsupported Media Type');
    const html = await response.text();
    expect(html).toMatch(/<ul class="links">\s*<li><a href="\/en\/jobs\/machine-learning-intern\/apply">Back to the form<\/a><\/li>\s*<li><a href="\/en\/jobs\/machine-learning-intern\/">Back to the posting<\/a><\/li>\s*<\/ul>/);
    // Nothing typed was read: the page says where the entries still are, not that they are gone.
    expect(html).toContain('your browser’s Back button usually returns to the form with them (attach the CV again). The link below opens an empty form.');
  });

  it('answers 404 for a posting that does not exist, in the visitor’s language', async () => {
    const response = await post('de/jobs/no-such-job/apply', application());
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Seite nicht gefunden');
  });

  it('refuses a cross-site form post (the Worker’s origin check)', async () => {
    const response = await post('en/jobs/machine-learning-intern/apply', application(), { Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
  });

  it('shows the form on GET, for hosts that link to it', async () => {
    const response = await fetch(new URL('en/jobs/machine-learning-intern/apply', site));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="firstName"');
  });
});

describe('the JSON API', () => {
  it('answers 201 with the reference, without a trailing-slash redirect', async () => {
    const form = application();
    form.set('job', 'machine-learning-intern');
    form.set('locale', 'en');
    const response = await post('api/applications', form, { 'Idempotency-Key': crypto.randomUUID() });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      reference: expect.stringMatching(/^ML-[2-9A-Z]{6}$/),
      outcome: 'stored',
      message: expect.stringMatching(/^We have received your application, reference ML-[2-9A-Z]{6}\. /),
      link: expect.stringMatching(new RegExp(`^${origin}/en/application/[A-Za-z0-9_-]{43}/$`)),
      status: 'new',
    });
  });

  it('answers 413 to an 11 MB upload in the language of its locale field, naming the CV', async () => {
    const form = application();
    form.set('cv', new Blob([new Uint8Array(pdfBytes(11 * 1024 * 1024))], { type: 'application/pdf' }), 'big.pdf');
    form.set('job', 'machine-learning-intern');
    form.set('locale', 'de');
    const response = await post('api/applications', form);
    expect(response.status).toBe(413);
    expect(response.statusText).toBe('Content Too Large');
    expect(await response.json()).toEqual({
      error: 'Ihre Bewerbung ist zu groß. Bitte hängen Sie einen Lebenslauf von höchstens 10 MB an und versuchen Sie es erneut.',
      issues: [{ field: 'cv', message: 'Ihr Lebenslauf ist größer als 10 MB. Bitte hängen Sie eine kleinere PDF-Datei an.' }],
    });
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const response = await fetch(new URL('api/applications', site), { headers: { 'Accept-Language': 'de-CH' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ error: 'Bewerbungen werden per POST als multipart/form-data gesendet, wie es das Formular tut.', issues: [] });
  });

  it('answers 415 for a body that is not multipart', async () => {
    const response = await post('api/applications', '{"firstName":"x"}', { 'Content-Type': 'application/json' });
    expect(response.status).toBe(415);
    const body = await response.json();
    expect(body).toEqual({ error: expect.any(String), issues: [] });
  });

  it('answers 422 with localized issues and no internal detail', async () => {
    const form = application({ firstName: '' });
    form.set('job', 'machine-learning-intern');
    form.set('locale', 'de');
    const response = await post('api/applications', form);
    expect(response.status).toBe(422);
    expect(response.statusText).toBe('Unprocessable Content');
    const body = (await response.json()) as { issues: unknown };
    expect(body.issues).toEqual([{ field: 'firstName', message: 'Bitte füllen Sie dieses Feld aus.' }]);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|Error:|stack/i);
  });
});

/**
 * POSTs `size` bytes as fast as the server takes them and tells how many had been sent when the
 * exchange ended: by an answer, or by the server closing the connection without waiting for the rest.
 */
function postLarge(path: string, size: number, headers: Record<string, string>): Promise<{ sent: number; outcome: number | 'connection closed' }> {
  return new Promise((resolve) => {
    const url = new URL(path, site);
    let sent = 0;
    let ended = false;
    const end = (outcome: number | 'connection closed') => {
      if (ended) return;
      ended = true;
      request.destroy();
      resolve({ sent, outcome });
    };
    const request = httpRequest(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(size) } }, (response) => end(response.statusCode ?? 0));
    request.on('error', () => end('connection closed'));
    const chunk = Buffer.alloc(64 * 1024, 0x25);
    const pump = () => {
      while (!ended && sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.byteLength, size - sent));
        sent += part.byteLength;
        if (!request.write(part)) return void request.once('drain', pump);
      }
      if (!ended) request.end();
    };
    pump();
  });
}

describe('a refused upload', () => {
  const size = 31 * 1024 * 1024;
  // The Worker reads at most 64 KiB of a body it refuses unread (test/functions/applications.test.ts
  // counts it); what the client still gets to send fills the sockets' buffers. Which way the
  // exchange then ends is up to the server in front: locally, wrangler dev's proxy answers, resets
  // the connection or says 500 "Network connection lost"; the answers themselves are tested
  // above with small bodies. Before, the Worker read all 31 MB before answering.
  it('of 31 MB from a foreign origin (403) ends before the client has sent it all', async () => {
    const { sent, outcome } = await postLarge('api/applications', size, { Origin: 'https://evil.example', 'Content-Type': 'multipart/form-data; boundary=x' });
    expect(sent, `ended by ${outcome}`).toBeLessThan(size);
  });

  it('of 31 MB that is not multipart (415) ends before the client has sent it all', async () => {
    const { sent, outcome } = await postLarge('api/applications', size, { Origin: origin, 'Content-Type': 'application/json' });
    expect(sent, `ended by ${outcome}`).toBeLessThan(size);
  });
});

describe('pages the Worker renders', () => {
  it.each(['en/', 'de/jobs/machine-learning-intern/apply', 'de/no-such-page'])('declare their encoding: /%s', async (path) => {
    const response = await fetch(new URL(path, site));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('declare their encoding: the applicant’s private page', async () => {
    const sent = await post('en/jobs/machine-learning-intern/apply', application());
    const response = await fetch(new URL(sent.headers.get('location') ?? '', site));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('the confirmation', () => {
  /**
   * The texts of headings, paragraphs and list items, leaving out those hidden, themselves (the
   * panel's variants for other answers) or in a hidden block (its private link's variant for a
   * host's page).
   */
  const texts = (html: string) =>
    [...html.replace(/<div\b[^>]*\shidden\b[^>]*>[\s\S]*?<\/div>/g, '').matchAll(/<(h\d|p|li)\b([^>]*)>([\s\S]*?)<\/\1>/g)].filter((match) => !/\shidden\b/.test(match[2]!)).map((match) => match[3]!.replace(/<[^>]+>/g, '').trim());

  it('says the same with JavaScript (on the posting) and without (the private page), linking the privacy notice where the sentence names it', async () => {
    const sent = await post('de/jobs/machine-learning-intern/apply', application());
    const page = await (await fetch(new URL(sent.headers.get('location') ?? '', site))).text();
    const posting = await (await fetch(new URL('de/jobs/machine-learning-intern/', site))).text();
    const reference = /<strong class="reference"[^>]*>([^<]+)</.exec(page)?.[1] ?? 'none';
    /** From `start` to the end of the confirmation's last list (its next steps). */
    const confirmationOf = (html: string, start: string) => {
      const from = html.slice(html.indexOf(start));
      return from.slice(0, from.indexOf('</ul>') + 5);
    };

    const withoutScript = texts(confirmationOf(page, '<main')).map((text) => text.replace(reference, '').trim());
    const withScript = texts(confirmationOf(posting, 'id="application-done"'));
    // The script fills in what happened (the JSON answer's message, as the page says it), the
    // reference and the private link, and shows the variants the answer names (here: a new
    // application, being reviewed).
    // (the reference taken out)
    expect(withoutScript[1]).toMatch(/^Wir haben Ihre Bewerbung erhalten, Referenznummer \. Falls Sie sich schon einmal /);
    expect(withScript).toEqual(withoutScript.map((text, index) => (index === 1 ? withScript[1] : text)));
    expect(withScript).toContain('Ihre Bewerbung ansehen oder zurückziehen');
    expect(withScript).toContain('Das Recruiting-Team prüft Ihre Bewerbung und meldet sich per E-Mail bei Ihnen.');
    expect(withScript).toContain('Sie können jederzeit Auskunft, Berichtigung oder Löschung Ihrer Daten verlangen, wie in den Datenschutzhinweisen beschrieben.');
    expect(page).toContain('wie in den <a href="/de/privacy/">Datenschutzhinweisen</a> beschrieben.');
    // Nowhere on the private page does a bare link trail a sentence that names the notice.
    expect(page).not.toMatch(/Datenschutzhinweise[n]?[^<]*\.\s*<a href="\/de\/privacy\/"/);
    expect(page).toContain('wie in den <a href="/de/privacy/">Datenschutzhinweisen</a> beschrieben: nach heutigem Stand am');
  });

  it('shows upload progress in each language’s way of writing a percentage', async () => {
    const en = await (await fetch(new URL('en/jobs/machine-learning-intern/', site))).text();
    const de = await (await fetch(new URL('de/jobs/machine-learning-intern/', site))).text();
    expect(en).toContain('data-sending="Sending … {percent}%"');
    expect(de).toContain('data-sending="Wird gesendet … {percent} %"');
  });
});
