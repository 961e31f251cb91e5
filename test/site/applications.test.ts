import { describe, expect, inject, it } from 'vitest';
import { applicationFormData } from '#test/support/applicant.ts';
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
    const confirmation = await fetch(new URL(location, site));
    expect(confirmation.status).toBe(200);
    expect(confirmation.headers.get('cache-control')).toBe('private, no-store');
    const html = await confirmation.text();
    expect(html).toContain('Vielen Dank für Ihre Bewerbung');
    expect(html).toMatch(/Wir haben Ihre Bewerbung erhalten\. Ihre Referenznummer lautet ML-[2-9A-Z]{6}\./);
  });

  it('answers the same submission twice (a double click) with the same application, saying it was already received', async () => {
    const form = application();
    const first = await post('en/jobs/machine-learning-intern/apply', form);
    const second = await post('en/jobs/machine-learning-intern/apply', form);
    expect(second.headers.get('location')).toMatch(/\?submitted=duplicate$/);
    const reference = (html: string) => /<strong class="reference">([^<]+)</.exec(html)?.[1];
    const [firstPage, secondPage] = await Promise.all([first, second].map(async (response) => (await fetch(new URL(response.headers.get('location') ?? '', site))).text()));
    expect(reference(secondPage ?? '')).toBe(reference(firstPage ?? ''));
    expect(secondPage).toContain('We had already received exactly this application on');
  });

  it('no longer thanks anyone for a made-up reference: the old confirmation address is not found (issue 9, finding 5)', async () => {
    const response = await fetch(new URL('en/jobs/machine-learning-intern/applied?ref=ML-AAAAAA', site));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('ML-AAAAAA');
  });

  it('answers invalid input with 422 and the form again, in the page language, without caching', async () => {
    const response = await post('en/jobs/machine-learning-intern/apply', application({ email: 'not-an-address', durationMonths: '13' }));
    expect(response.status).toBe(422);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const html = await response.text();
    expect(html).toContain('<div id="form-summary" class="form-summary" tabindex="-1" role="alert" autofocus>');
    expect(html).toContain('href="#email"');
    expect(html).toContain('Enter an e-mail address in the format name@example.com.');
    expect(html).toContain('value="not-an-address"');
    expect(html).toContain('value="Hopper"');
  });

  it('answers 404 for a posting that does not exist, in the visitor’s language', async () => {
    const response = await post('de/jobs/no-such-job/apply', application());
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Seite nicht gefunden');
  });

  it('refuses a cross-site form post (Astro’s origin check)', async () => {
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
      message: expect.stringContaining('We have received your application.'),
      link: expect.stringMatching(new RegExp(`^${origin}/en/application/[A-Za-z0-9_-]{43}/$`)),
    });
  });

  it('answers 413 to an 11 MB upload, refused from Content-Length, in the requested language', async () => {
    const form = application();
    form.set('cv', new Blob([new Uint8Array(pdfBytes(11 * 1024 * 1024))], { type: 'application/pdf' }), 'big.pdf');
    form.set('job', 'machine-learning-intern');
    form.set('locale', 'de');
    const response = await post('api/applications', form, { 'Accept-Language': 'de' });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: expect.stringContaining('10 MB'), issues: [] });
    const html = await post('en/jobs/machine-learning-intern/apply', form);
    expect(html.status).toBe(413);
    expect(await html.text()).toContain('Your application could not be sent');
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
    const body = (await response.json()) as { issues: unknown };
    expect(body.issues).toEqual([{ field: 'firstName', message: 'Bitte füllen Sie dieses Feld aus.' }]);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|Error:|stack/i);
  });
});
