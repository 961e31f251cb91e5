import type { TestProject } from 'vitest/node';
import { startEmbed, type EmbedOrigins, type RunningEmbed } from './embed.ts';
import { startSite, type RunningSite } from './site.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin and base path of the site under test, e.g. "http://127.0.0.1:41234/". */
    siteUrl: string;
    /** The test host's origins, one per way of embedding (test/support/embed.ts). */
    embedOrigins: EmbedOrigins;
  }
}

// The site and browser tiers share the builds and servers: global setups of both projects run
// in the same process, so the first starts them and the last stops them.
const shared = globalThis as typeof globalThis & { careersSite?: { servers: Promise<[RunningSite, RunningEmbed]>; users: number } };

/** Builds one after the other (two cores), then serves both. */
async function startServers(skipBuild: boolean): Promise<[RunningSite, RunningEmbed]> {
  const site = await startSite({ skipBuild, vars: { RECRUITER_LOCAL_SIGN_IN: LOCAL_RECRUITER } });
  try {
    return [site, await startEmbed({ skipBuild })];
  } catch (error) {
    await site.stop();
    throw error;
  }
}

/** The identity of the local sign-in the site and browser tiers serve with, as README's `.dev.vars` sets it. */
export const LOCAL_RECRUITER = 'recruiter@example.com';

/**
/**
 * Builds the site once and serves the production Worker for the site and browser tiers (with
 * the recruiters' local sign-in configured as README documents it), and the embedding
 * deployment behind its test host. `SKIP_BUILD=1` reuses the builds when iterating on tests alone.
 */
export default async function setup(project: TestProject) {
  shared.careersSite ??= { servers: startServers(process.env.SKIP_BUILD === '1'), users: 0 };
  const state = shared.careersSite;
  state.users += 1;
  const [site, embed] = await state.servers;
  project.provide('siteUrl', site.url);
  project.provide('embedOrigins', embed.origins);
  return async () => {
    state.users -= 1;
    if (state.users === 0) {
      delete shared.careersSite;
      await Promise.all([site.stop(), embed.stop()]);
    }
  };
}
