/** Helpers for the site and browser tiers' tests of the recruiters' inbox and the applicant's page. */
import { expect } from 'vitest';
import { applicationFields } from './applicant.ts';
import { pdfBytes } from './pdf.ts';

/** Submits an application through the JSON API of the site under test; returns its reference, link and CV bytes. */
export async function submitThroughApi(site: string, overrides: Record<string, string> = {}, locale = 'en'): Promise<{ reference: string; link: string; cv: Buffer }> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...applicationFields(overrides), job: 'machine-learning-intern', locale })) form.set(name, value);
  const cv = pdfBytes(6000 + Math.floor(Math.random() * 1000));
  form.set('cv', new Blob([new Uint8Array(cv)], { type: 'application/pdf' }), 'cv.pdf');
  const response = await fetch(new URL('api/applications', site), { method: 'POST', body: form, headers: { Origin: new URL(site).origin } });
  if (response.status !== 201) throw new Error(`the API answered ${response.status}: ${await response.text()}`);
  const { reference, link } = (await response.json()) as { reference: string; link: string };
  return { reference, link, cv };
}

/** Signs in through the local sign-in of the site under test; returns the Cookie header to send. */
export async function signInLocally(site: string): Promise<string> {
  const response = await fetch(new URL('en/recruiters/sign-in', site), {
    method: 'POST',
    body: new URLSearchParams({ action: 'sign-in' }),
    headers: { Origin: new URL(site).origin },
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`local sign-in failed with ${response.status}`);
  return cookie;
}

/** Sets an application's status through the inbox of the site under test, as a recruiter signed in with `cookie` does. */
export async function setStatusInInbox(site: string, cookie: string, reference: string, status: string): Promise<void> {
  const response = await fetch(new URL(`en/recruiters/applications/${reference}/`, site), {
    method: 'POST',
    body: new URLSearchParams({ action: 'status', status }),
    headers: { Cookie: cookie, Origin: new URL(site).origin },
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`changing the status answered ${response.status}`);
}

/** Asserts the headers of every answer in a private area: never cached, never indexed, no referrer to other sites. */
export function expectPrivate(response: Response, label = response.url): void {
  expect(response.headers.get('cache-control'), label).toBe('private, no-store');
  expect(response.headers.get('x-robots-tag'), label).toBe('noindex, nofollow');
  expect(response.headers.get('referrer-policy'), label).toBe('strict-origin');
}
