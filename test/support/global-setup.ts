import type { TestProject } from 'vitest/node';
import { startSite, type RunningSite } from './site.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin and base path of the site under test, e.g. "http://127.0.0.1:41234/". */
    siteUrl: string;
  }
}

// The site and browser tiers share one build and one server: global setups of both
// projects run in the same process, so the first starts it and the last stops it.
const shared = globalThis as typeof globalThis & { careersSite?: { site: Promise<RunningSite>; users: number } };

/** The identity of the local sign-in the site and browser tiers serve with, as README's `.dev.vars` sets it. */
export const LOCAL_RECRUITER = 'recruiter@example.com';

/**
 * Builds the site once and serves the production Worker for the site and browser tiers, with
 * the recruiters' local sign-in configured as README documents it. `SKIP_BUILD=1` reuses dist/
 * when iterating on tests alone.
 */
export default async function setup(project: TestProject) {
  shared.careersSite ??= { site: startSite({ skipBuild: process.env.SKIP_BUILD === '1', vars: { RECRUITER_LOCAL_SIGN_IN: LOCAL_RECRUITER } }), users: 0 };
  const state = shared.careersSite;
  state.users += 1;
  const site = await state.site;
  project.provide('siteUrl', site.url);
  return async () => {
    state.users -= 1;
    if (state.users === 0) {
      delete shared.careersSite;
      await site.stop();
    }
  };
}
