/**
 * The embedding deployment for the site and browser tiers, and for the bench: our site built
 * for a host (BASE_PATH=/careers, SITE_URL on the host's origin, the host's DSD origin in
 * EMBED_ORIGINS) and served in ONE `wrangler dev` together with the host Worker of test/host/,
 * which reaches ours through its service binding. One port, three hostnames, one per way:
 * localhost (path mount, and SITE_URL), wf.localhost (Web Fragments), dsd.localhost (fragment).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { LookupFunction } from 'node:net';
import { join } from 'node:path';
import { getPlatformProxy } from 'wrangler';
import { applyMigrations, buildSite, freePort, LOAD_TEST_RATE_LIMIT, ROOT, serveWithWrangler, stateDirOf, withRateLimit } from './site.ts';

/** Where the embedding build goes. */
export const EMBED_OUT_DIR = 'test/.tmp/embed-dist';
/** The base path our Worker is mounted under by the host. */
export const EMBED_BASE = '/careers';

/** The host's origins, one per way of embedding; `site` is also our SITE_URL. */
export interface EmbedOrigins {
  site: string;
  webFragments: string;
  dsd: string;
}

/** A running host with our Worker behind it. */
export interface RunningEmbed {
  origins: EmbedOrigins;
  stop(): Promise<void>;
}

/** The three origins on one port. */
export function embedOrigins(port: number): EmbedOrigins {
  return { site: `http://localhost:${port}`, webFragments: `http://wf.localhost:${port}`, dsd: `http://dsd.localhost:${port}` };
}

/** The build settings of the embedding deployment (SITE_URL names the port, so it is chosen first). */
export function embedBuildEnv(port: number): Record<string, string> {
  const origins = embedOrigins(port);
  return { BASE_PATH: EMBED_BASE, SITE_URL: origins.site, EMBED_ORIGINS: origins.dsd };
}

/** The host's wrangler config: its service binding names the careers Worker as built. */
const HOST_CONFIG = join('test', 'host', 'wrangler.toml');

/**
 * Builds (unless `skipBuild` and a previous build exists, whose port is then reused) and serves
 * the host with our Worker behind it, on fresh local D1/R2 state, with the application rate
 * limit raised as for the other test servers.
 */
export async function startEmbed({ skipBuild = false, outDir = EMBED_OUT_DIR }: { skipBuild?: boolean; outDir?: string } = {}): Promise<RunningEmbed> {
  const portFile = join(ROOT, outDir, 'embed-port');
  const reuse = skipBuild && existsSync(portFile);
  const port = reuse ? Number(readFileSync(portFile, 'utf8')) : await freePort();
  if (!reuse) {
    buildSite({ outDir, env: embedBuildEnv(port) });
    writeFileSync(portFile, String(port));
  }
  const ours = withRateLimit(join(outDir, 'server', 'wrangler.json'), LOAD_TEST_RATE_LIMIT);
  const stateDir = stateDirOf(outDir);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  applyMigrations(ours, stateDir);
  const origins = embedOrigins(port);
  const server = await serveWithWrangler([HOST_CONFIG, ours], stateDir, { port, base: EMBED_BASE, probePath: 'en/', vars: { CAREERS_ORIGIN: origins.site } });
  return { origins, stop: server.stop };
}

/** Resolves every name to 127.0.0.1: Node does not know that *.localhost is this machine. */
const loopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/**
 * A small `fetch` for the host's *.localhost origins (redirects not followed, Host header kept):
 * what a crawler or a server-side client sees, without a browser.
 */
export function fetchLocal(url: string | URL, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(new URL(url), { method: init.method ?? 'GET', headers: init.headers, lookup: loopback }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
        }
        const status = incoming.statusCode ?? 0;
        const body = [204, 304].includes(status) || init.method === 'HEAD' ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers }));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

/** One stored application as the tests check it: its D1 row and its CV's bytes from R2. */
export interface StoredApplication {
  reference: string;
  job_slug: string;
  locale: string;
  cv_key: string;
  cv_size: number;
  cv_sha256: string;
  cv: Buffer;
}

/** Runs `use` with the embedding deployment's local D1 and R2 (wrangler's platform proxy on the same local state). */
async function withStorage<T>(outDir: string, use: (env: { DB: D1Database; CV_BUCKET: R2Bucket }) => Promise<T>): Promise<T> {
  const proxy = await getPlatformProxy<{ DB: D1Database; CV_BUCKET: R2Bucket }>({
    configPath: join(ROOT, outDir, 'server', 'wrangler.json'),
    persist: { path: join(stateDirOf(outDir), 'v3') },
  });
  try {
    return await use(proxy.env);
  } finally {
    await proxy.dispose();
  }
}

/** How many applications the embedding deployment's local D1 holds from this e-mail address. */
export function applicationsFrom(email: string, outDir = EMBED_OUT_DIR): Promise<number> {
  return withStorage(outDir, async ({ DB }) => {
    const row = await DB.prepare("SELECT COUNT(*) AS count FROM applications WHERE json_extract(answers, '$.email') = ?").bind(email).first<{ count: number }>();
    return row?.count ?? 0;
  });
}

/**
 * The applications stored under these references in the embedding deployment's local D1, each
 * with its CV read back from local R2 (through wrangler's platform proxy on the same local
 * state): proof that an application sent through the host landed.
 */
export function storedApplications(references: readonly string[], outDir = EMBED_OUT_DIR): Promise<StoredApplication[]> {
  return withStorage(outDir, async ({ DB, CV_BUCKET }) => {
    const placeholders = references.map(() => '?').join(', ');
    const { results } = await DB.prepare(`SELECT reference, job_slug, locale, cv_key, cv_size, cv_sha256 FROM applications WHERE reference IN (${placeholders})`)
      .bind(...references)
      .all<Omit<StoredApplication, 'cv'>>();
    return Promise.all(
      results.map(async (row) => {
        const object = await CV_BUCKET.get(row.cv_key);
        return { ...row, cv: Buffer.from(object ? await object.arrayBuffer() : new ArrayBuffer(0)) };
      }),
    );
  });
}
