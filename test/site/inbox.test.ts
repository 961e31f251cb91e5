import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectPrivate, signInLocally, submitThroughApi } from '#test/support/inbox.ts';
import { applyMigrations, executeOnSite, ROOT, serveWithWrangler, type RunningSite } from '#test/support/site.ts';

// The recruiters' inbox as the built Worker serves it, with the local sign-in configured as
// README's `.dev.vars` does (test/support/global-setup.ts). The handlers behind it are tested
// in workerd in test/functions/inbox.test.ts and access.test.ts.
const site = inject('siteUrl');
const origin = new URL(site).origin;
let cookie: string;

beforeAll(async () => {
  cookie = await signInLocally(site);
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, site), { headers: { Cookie: cookie, ...headers }, redirect: 'manual' });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(new URL(path, site), { method: 'POST', body: new URLSearchParams(fields), headers: { Cookie: cookie, Origin: origin, ...headers }, redirect: 'manual' });

/**
 * A GET as a deployed Worker receives it, for a real hostname (fetch cannot set Host): the
 * loopback server answers it as it would for that host.
 */
function getForHost(path: string, host: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, site);
  return new Promise((resolve, reject) => {
    const call = httpRequest({ hostname: url.hostname, port: url.port, path: url.pathname, headers: { ...headers, Host: host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    call.on('error', reject);
    call.end();
  });
}

/** The HTML without its attribute values: what a browser parses as markup. */
const markup = (html: string) => html.replace(/"[^"]*"/g, '""');

/** Every kind of answer the inbox gives, for the checks that apply to all of them. */
const INBOX_PATHS = (reference: string) => [
  'en/recruiters/',
  'de/recruiters/jobs/machine-learning-intern/',
  `en/recruiters/applications/${reference}/`,
  `en/recruiters/applications/${reference}/cv`,
  'en/recruiters/jobs/machine-learning-intern/export.csv',
];

describe('without a valid sign-in', () => {
  it('pages, CV downloads and exports answer 401 and nothing else (a request for a real hostname, as on a deployed Worker)', async () => {
    const { reference } = await submitThroughApi(site);
    for (const path of INBOX_PATHS(reference)) {
      // The local sign-in only counts on loopback hostnames; this is what a deployed Worker sees.
      const response = await getForHost(path, 'careers.example', { Cookie: cookie });
      expect(response.status, path).toBe(401);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.body).toMatch(/^(Sign in through your company's Cloudflare Access|Melden Sie sich über Cloudflare Access)/);
      expect(response.body).not.toContain(reference);
      // A deployed Worker never talks about a developer's .dev.vars.
      expect(response.body).not.toContain('.dev.vars');
    }
  });

  it('answer 403 to a forged Access token, whatever else the request carries', async () => {
    const { reference } = await submitThroughApi(site);
    for (const path of INBOX_PATHS(reference)) {
      const response = await get(path, { 'Cf-Access-Jwt-Assertion': 'eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImV2ZUBleGFtcGxlLmNvbSJ9.' });
      expect(response.status, path).toBe(403);
      expect(await response.text()).toBe(
        path.startsWith('de/') ? 'Ihre Anmeldung konnte nicht bestätigt werden. Bitte melden Sie sich erneut über Cloudflare Access an.' : 'Your sign-in could not be verified. Please sign in again through Cloudflare Access.',
      );
    }
  });

  it('leads a page request on this machine to the explicit local sign-in, in the page’s language', async () => {
    const response = await fetch(new URL('de/recruiters/', site), { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/de/recruiters/sign-in');
    const signIn = await fetch(new URL('de/recruiters/sign-in', site));
    expect(await signIn.text()).toContain('Als recruiter@example.com anmelden');
  });

  it('returns to the inbox page asked for after the local sign-in, and never leaves the inbox (finding 11)', async () => {
    const asked = '/de/recruiters/jobs/machine-learning-intern/?status=new';
    const response = await fetch(new URL(asked, site), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const signInPage = response.headers.get('location') ?? '';
    expect(signInPage).toBe(`/de/recruiters/sign-in?${new URLSearchParams({ next: asked })}`);
    expect(await (await fetch(new URL(signInPage, site))).text()).toContain(`<input type="hidden" name="next" value="${asked.replace('&', '&amp;')}">`);

    const signIn = (next: string) =>
      fetch(new URL('de/recruiters/sign-in', site), { method: 'POST', body: new URLSearchParams({ action: 'sign-in', next }), headers: { Origin: origin }, redirect: 'manual' });
    const returned = await signIn(asked);
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toBe(asked);
    for (const elsewhere of ['https://evil.example/', '//evil.example/de/recruiters/', '/de/jobs/machine-learning-intern/']) {
      expect((await signIn(elsewhere)).headers.get('location'), elsewhere).toBe('/de/recruiters/');
    }
    // A hostile `next` in the sign-in page's address does not reach its form.
    expect(await (await fetch(new URL('de/recruiters/sign-in?next=https://evil.example/', site))).text()).not.toContain('evil.example');
  });

  it('is signed out again by the sign-out button', async () => {
    const own = await signInLocally(site);
    const out = await fetch(new URL('en/recruiters/sign-in', site), { method: 'POST', body: new URLSearchParams({ action: 'sign-out' }), headers: { Cookie: own, Origin: origin }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^careers_recruiter_local=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
  });
});

describe('a Worker built and served without the local sign-in (as every deployment is)', () => {
  let bare: RunningSite;
  beforeAll(async () => {
    const config = join(ROOT, 'dist', 'server', 'wrangler.json');
    const state = join(ROOT, 'test', '.tmp', 'state-no-local-sign-in');
    applyMigrations(config, state);
    // Empty wins over a developer's own .dev.vars, which the build copies beside the config.
    bare = await serveWithWrangler(config, state, { probePath: 'en/', vars: { RECRUITER_LOCAL_SIGN_IN: '' } });
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it('refuses the local sign-in and the inbox to this machine too', async () => {
    const signIn = await fetch(new URL('en/recruiters/sign-in', bare.url), { method: 'POST', body: new URLSearchParams({ action: 'sign-in' }), headers: { Origin: new URL(bare.url).origin }, redirect: 'manual' });
    expect(signIn.status).toBe(401);
    expect(signIn.headers.get('set-cookie')).toBeNull();
    const inbox = await fetch(new URL('en/recruiters/', bare.url), { headers: { Cookie: 'careers_recruiter_local=1' }, redirect: 'manual' });
    expect(inbox.status).toBe(401);
    // On this machine the answer also says how to switch the local sign-in on.
    expect(await inbox.text()).toBe('Sign in through your company\'s Cloudflare Access to open the recruiters\' inbox. On your own machine, switch on the local sign-in instead: add RECRUITER_LOCAL_SIGN_IN=<your e-mail address> to .dev.vars and run npm start again (README, “The recruiters’ inbox”).');
  });
});

describe('signed in', () => {
  it('every answer is private: never cached, never indexed, no referrer to other sites', async () => {
    const { reference } = await submitThroughApi(site);
    for (const path of INBOX_PATHS(reference)) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expectPrivate(response, path);
    }
  });

  it('the address without a language leads to the recruiter’s language', async () => {
    const response = await fetch(new URL('recruiters/applications/ML-AAAAAA/', site), { headers: { 'Accept-Language': 'de-DE,de;q=0.9' }, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/de/recruiters/applications/ML-AAAAAA/');
  });

  it('shows everything an applicant typed escaped, in the list and the detail', async () => {
    const { reference } = await submitThroughApi(site, {
      firstName: '<script>alert("name")</script>',
      motivation: '<img src=x onerror=alert("motivation")>',
      links: 'https://example.org/"><script>alert("link")</script>',
    });
    const list = await (await get('en/recruiters/jobs/machine-learning-intern/')).text();
    const detail = await (await get(`en/recruiters/applications/${reference}/`)).text();
    for (const html of [list, detail]) {
      expect(markup(html)).not.toMatch(/<script>alert|<img src=x/);
      expect(html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    }
    expect(detail).toContain('&lt;img src=x onerror=alert(&quot;motivation&quot;)&gt;');
    // A link is stored as the URL parser normalizes it: its quote and brackets percent-encoded.
    expect(detail).toContain('<a href="https://example.org/%22%3E%3Cscript%3Ealert(%22link%22)%3C/script%3E" rel="noopener noreferrer nofollow">https://example.org/%22%3E%3Cscript%3Ealert(%22link%22)%3C/script%3E</a>');
  });

  it('changes the status with Post/Redirect/Get, shows it, and records who did it', async () => {
    const { reference } = await submitThroughApi(site);
    const response = await post(`de/recruiters/applications/${reference}/`, { action: 'status', status: 'rejected' });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toBe(`/de/recruiters/applications/${reference}/?done=status-changed&status=rejected`);
    const html = await (await get(location)).text();
    expect(html).toContain('Status auf „Abgelehnt“ geändert.');
    expect(html).toContain('<option value="rejected" selected>Abgelehnt</option>');
    expect(html).toMatch(/Verfahren beendet am \d+\. \w+ \d{4}\./);
    expect(html).toMatch(/Status geändert: Neu → Abgelehnt · recruiter@example\.com/);
  });

  it('says a status changed only while the application has that status, whatever the address asks for (finding 9)', async () => {
    const { reference } = await submitThroughApi(site);
    const made = await (await get(`en/recruiters/applications/${reference}/?done=status-changed&status=hired`)).text();
    expect(made).not.toContain('Status changed to');
    expect(made).toContain('<option value="new" selected>New</option>');
    const unchanged = await (await get(`en/recruiters/applications/${reference}/?done=unchanged&status=offer`)).text();
    expect(unchanged).not.toContain('The status already was');
    expect(await (await get(`en/recruiters/applications/${reference}/?done=unchanged&status=new`)).text()).toContain('The status already was “New”.');
  });

  it('refuses an unknown status with 422 and the form again, changing nothing', async () => {
    const { reference } = await submitThroughApi(site);
    const response = await post(`en/recruiters/applications/${reference}/`, { action: 'status', status: 'fired' });
    expect(response.status).toBe(422);
    expect(response.statusText).toBe('Unprocessable Content');
    const html = await response.text();
    expect(html).toContain('Choose one of the listed statuses.');
    expect(html).toContain('<option value="new" selected>New</option>');
    // The message names the field it is about, for screen readers too.
    expect(html).toContain('<a href="#status">Choose one of the listed statuses.</a>');
    expect(html).toMatch(/<p class="field-error" id="status-error">Choose one of the listed statuses\.<\/p>\s*<select id="status" name="status" aria-invalid="true" aria-describedby="status-error">/);
  });

  it('refuses “delete now” without its confirmation with 422, the checkbox marked and described by the message, deleting nothing', async () => {
    const { reference } = await submitThroughApi(site);
    const response = await post(`de/recruiters/applications/${reference}/`, { action: 'delete' });
    expect(response.status).toBe(422);
    const html = await response.text();
    const message = html.match(/<p class="field-error" id="confirm-error">([^<]+)<\/p>/)?.[1];
    expect(message).toBeTruthy();
    expect(html).toContain(`<p class="notice" role="alert" tabindex="-1" autofocus><a href="#confirm">${message}</a></p>`);
    expect(html).toMatch(/<input type="checkbox" id="confirm" name="confirm" value="yes" required aria-invalid="true" aria-describedby="confirm-error">/);
    expect((await get(`de/recruiters/applications/${reference}/`)).status).toBe(200);
  });

  it('refuses a form posted from another site with 403 in the inbox’s own words, private, whatever the sign-in, changing nothing', async () => {
    const { reference } = await submitThroughApi(site);
    for (const headers of [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { Origin: origin, 'Sec-Fetch-Site': 'cross-site' }]) {
      const response = await post(`en/recruiters/applications/${reference}/`, { action: 'delete', confirm: 'yes' }, headers);
      expect(response.status).toBe(403);
      expectPrivate(response);
      // Refused by the Worker (a foreign origin) or the middleware (same origin, cross-site fetch): the same words.
      expect(await response.text()).toBe('This form was sent from another site and was refused. Please use the form on this site.');
    }
    const german = await post(`de/recruiters/`, { action: 'retry', delivery: '1' }, { Origin: 'https://evil.example' });
    expect(await german.text()).toBe('Dieses Formular wurde von einer anderen Website gesendet und abgelehnt. Bitte verwenden Sie das Formular auf dieser Website.');
    const withoutOrigin = await fetch(new URL(`en/recruiters/applications/${reference}/`, site), { method: 'POST', body: new URLSearchParams({ action: 'delete', confirm: 'yes' }), headers: { Cookie: cookie }, redirect: 'manual' });
    expect(withoutOrigin.status).toBe(403);
    expect((await get(`en/recruiters/applications/${reference}/`)).status).toBe(200);
  });

  it('deletes now: Post/Redirect/Get to the posting, then the application answers 410 with its history and its CV 404', async () => {
    const { reference } = await submitThroughApi(site);
    const refused = await post(`en/recruiters/applications/${reference}/`, { action: 'delete' });
    expect(refused.status).toBe(422);
    const form = await refused.text();
    expect(form).toContain('Tick the box to confirm the deletion.');
    // No channel carries deletions on the site under test: nobody is said to be told.
    expect(form).toMatch(/Deletes the answers, the CV and the deliveries at once\. The history keeps the reference and the date\.\s*<\/p>/);
    expect(form).not.toContain('company system');

    const response = await post(`en/recruiters/applications/${reference}/`, { action: 'delete', confirm: 'yes' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/en/recruiters/jobs/machine-learning-intern/?deleted=${reference}`);
    expect(await (await get(response.headers.get('location') ?? '')).text()).toContain(`Application ${reference} was deleted.`);
    const gone = await get(`en/recruiters/applications/${reference}/`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toMatch(/Deleted \(deleted in the inbox\) · recruiter@example\.com/);
    expect((await get(`en/recruiters/applications/${reference}/cv`)).status).toBe(404);
  });

  it('records a CV download for a GET, which sends the file, and not for a HEAD, which sends none (finding 11)', async () => {
    const { reference } = await submitThroughApi(site);
    const downloads = () => executeOnSite(`SELECT count(*) AS n FROM audit_log WHERE reference = '${reference}' AND action = 'cv.downloaded'`)[0]?.['n'];
    const head = await fetch(new URL(`en/recruiters/applications/${reference}/cv`, site), { method: 'HEAD', headers: { Cookie: cookie } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toBe(`attachment; filename="${reference}.pdf"`);
    expectPrivate(head);
    expect(downloads()).toBe(0);
    await (await get(`en/recruiters/applications/${reference}/cv`)).arrayBuffer();
    expect(downloads()).toBe(1);
  });

  it('serves the CV as an attachment, exactly as uploaded', async () => {
    const { reference, cv } = await submitThroughApi(site);
    const response = await get(`en/recruiters/applications/${reference}/cv`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${reference}.pdf"`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(cv);
  });

  it('exports a posting as CSV with formula cells neutralized', async () => {
    await submitThroughApi(site, { lastName: '=HYPERLINK("https://evil.example","x")' });
    const response = await get('de/recruiters/jobs/machine-learning-intern/export.csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="machine-learning-intern-applications-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith('\uFEFF"Referenznummer";"Eingegangen am"')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`);
    expect(text).not.toContain('"=HYPERLINK');
  });

  it('answers the export of a posting nobody knows with 404, like its page, and records no export (finding 8)', async () => {
    const exports = () => executeOnSite(`SELECT count(*) AS n FROM audit_log WHERE action = 'exported' AND job_slug = 'nope'`)[0]?.['n'];
    for (const path of ['en/recruiters/jobs/nope/', 'en/recruiters/jobs/nope/export.csv']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expectPrivate(response, path);
    }
    expect(exports()).toBe(0);
  });

  it('lists a delivery retried with “retry now” as being retried until it goes through, never as gone through (finding 4)', async () => {
    const { reference } = await submitThroughApi(site);
    // A delivery that failed for good: the site under test has no channel that could fail.
    executeOnSite(
      `INSERT INTO deliveries (event_id, event_type, application_reference, channel, status, attempts, next_attempt_at, last_error, created_at)
       VALUES ('msg_${reference}', 'application.created', '${reference}', 'webhook', 'failed', 8, '2026-11-01T10:00:00.000Z', 'HTTP 500', '2026-11-01T10:00:00.000Z')`,
    );
    const id = executeOnSite(`SELECT id FROM deliveries WHERE application_reference = '${reference}' AND status = 'failed'`)[0]?.['id'];
    const before = await (await get('en/recruiters/')).text();
    expect(before).toContain('<h3>Failed deliveries</h3>');

    const response = await post('en/recruiters/', { action: 'retry', delivery: String(id) });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/en/recruiters/?retried=${id}`);
    const after = await (await get(response.headers.get('location') ?? '')).text();
    expect(after).toContain('The delivery is being sent again.');
    expect(after).toContain('<h3>Being retried</h3>');
    expect(after).toMatch(new RegExp(`${reference}</a></td>\\s*<td>New application</td>\\s*<td>Webhook</td>\\s*<td>Being retried</td>`));
    expect(after).not.toContain('No delivery has failed');
    expect(after).not.toContain('Every delivery went through');
    // The application's own page says the same.
    expect(await (await get(`en/recruiters/applications/${reference}/?retried=${id}`)).text()).toContain('The delivery is being sent again.');
  });

  it('leads from each count of the overview to the posting’s applications of that status', async () => {
    await submitThroughApi(site);
    const html = await (await get('en/recruiters/')).text();
    expect(html).toMatch(/<a href="\/en\/recruiters\/jobs\/machine-learning-intern\/\?status=new">\d+<span class="visually-hidden"> New: Machine Learning Intern<\/span><\/a>/);
  });

  it('refuses a malformed sign-in form with 400 and a retry of a delivery that did not fail with 404 or of none with 422', async () => {
    const signIn = await fetch(new URL('en/recruiters/sign-in', site), { method: 'POST', body: new URLSearchParams({ action: 'dance' }), headers: { Origin: origin }, redirect: 'manual' });
    expect(signIn.status).toBe(400);
    expect((await post('en/recruiters/', { action: 'retry', delivery: '999999999' })).status).toBe(404);
    const invalid = await post('en/recruiters/', { action: 'retry', delivery: 'all' });
    expect(invalid.status).toBe(422);
    expect(await invalid.text()).toContain('This request could not be read.');
  });

  it('refuses a post that is no form with 415 in the inbox’s words before any page reads it, private, changing nothing', async () => {
    const { reference } = await submitThroughApi(site);
    for (const [path, type, body] of [
      [`de/recruiters/applications/${reference}/`, 'application/json', '{"action":"delete","confirm":"yes"}'],
      ['de/recruiters/', 'text/plain', 'action=retry&delivery=1'],
      ['de/recruiters/sign-in', 'application/json', '{}'],
    ] as const) {
      const response = await fetch(new URL(path, site), { method: 'POST', body, headers: { Cookie: cookie, Origin: origin, 'Content-Type': type }, redirect: 'manual' });
      expect(response.status, path).toBe(415);
      expectPrivate(response, path);
      expect(await response.text(), path).toBe('Diese Anfrage konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.');
    }
    expect((await get(`en/recruiters/applications/${reference}/`)).status).toBe(200);
  });

  it('answers 404 for an unknown application or posting, and 405 for other methods, each private like every answer of the inbox', async () => {
    for (const path of ['en/recruiters/applications/ML-ZZZZZZ/', 'en/recruiters/applications/not-a-reference/', 'en/recruiters/jobs/no-such-posting/', 'en/recruiters/applications/ML-ZZZZZZ/cv', 'de/recruiters/no-such-page']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expectPrivate(response, path);
    }
    const put = await fetch(new URL('en/recruiters/', site), { method: 'PUT', headers: { Cookie: cookie, Origin: origin } });
    expect(put.status).toBe(405);
    expectPrivate(put);
  });
});
