/** The host's bindings and settings (wrangler.toml, or `--var` in the tests). */
export interface HostEnv {
  /** The careers Worker. */
  CAREERS: Fetcher;
  /** Where visitors see the careers pages (its SITE_URL): fragments link and post there. */
  CAREERS_ORIGIN: string;
}

/** Any origin works for a service binding; the careers Worker only reads the path. */
export const CAREERS_URL = 'https://careers.internal';
