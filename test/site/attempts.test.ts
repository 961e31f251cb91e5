import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationFormData } from '#test/support/applicant.ts';
import { aFreshWindowIfNeeded } from '#test/support/rateLimitWindow.ts';
import { applyMigrations, ROOT, serveWithWrangler, type RunningSite } from '#test/support/site.ts';

// The build under test, served again with the limits of wrangler.toml (30 attempts a minute
// per client) in a state folder of its own, so the counts start at zero and the shared site's
// raised limits stay as they are.
const CONFIG = join(ROOT, 'dist', 'server', 'wrangler.json');
const ATTEMPTS_PER_MINUTE = 30;
const FORM = 'en/jobs/machine-learning-intern/apply';

let site: RunningSite;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'careers-attempts-'));
  applyMigrations(CONFIG, stateDir);
  site = await serveWithWrangler(CONFIG, stateDir, { probePath: 'en/' });
});

afterAll(async () => {
  await site?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const postForm = (origin: string, body: BodyInit) => fetch(new URL(FORM, site.url), { method: 'POST', body, headers: { Origin: origin }, redirect: 'manual' });

describe('a client’s attempts at the production limit', () => {
  it('counts form posts refused for their origin: re-filled while within the limit, then refused unread, and the client’s own submissions meet the same limit', async () => {
    await aFreshWindowIfNeeded(60); // the binding's period
    const typed = new URLSearchParams({ firstName: 'Ada', motivation: 'Typed on another site' });
    for (let attempt = 1; attempt <= ATTEMPTS_PER_MINUTE; attempt += 1) {
      const refilled = await postForm('https://evil.example', typed);
      expect(refilled.status, `attempt ${attempt}`).toBe(403);
      expect(refilled.headers.get('content-type'), `attempt ${attempt}`).toMatch(/^text\/html/);
      expect(await refilled.text(), `attempt ${attempt}`).toContain('value="Ada"');
    }
    const unread = await postForm('https://evil.example', typed);
    expect(unread.status).toBe(403);
    expect(unread.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await unread.text()).not.toContain('Ada');

    const own = await postForm(new URL(site.url).origin, applicationFormData());
    expect(own.status).toBe(429);
    expect(Number(own.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
