import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { checkContent } from '#src/content-tools/check.ts';
import { formatProblem } from '#src/content-tools/problems.ts';

/** Options of the content checks integration. */
export interface ContentChecksOptions {
  /** The content folder relative to the project root, e.g. "content". */
  contentDir: string;
}

/** Runs the checks of `npm run check` and prints each problem; resolves to the error count. */
async function runChecks(root: string, contentDir: string, logger: AstroIntegrationLogger): Promise<number> {
  const { problems } = await checkContent(root, contentDir);
  let errors = 0;
  for (const problem of problems) {
    if (problem.severity === 'error') {
      errors += 1;
      logger.error(formatProblem(problem));
    } else {
      logger.warn(formatProblem(problem));
    }
  }
  return errors;
}

/**
 * The content checks of `npm run check`, inside Astro: `astro build` prints the same lines
 * and refuses to build on errors (outdated translations only warn); `astro dev` prints them
 * at start and again whenever a file under the content folder changes.
 */
export function contentChecksIntegration({ contentDir }: ContentChecksOptions): AstroIntegration {
  let root = process.cwd();
  return {
    name: 'careers:content-checks',
    hooks: {
      'astro:config:setup': async ({ config, command, logger }) => {
        root = fileURLToPath(config.root);
        if (command !== 'build' && command !== 'dev') return;
        const errors = await runChecks(root, contentDir, logger);
        if (errors > 0 && command === 'build') {
          throw new Error(`content check failed with ${errors} error${errors === 1 ? '' : 's'} (listed above); fix them and build again, or run \`npm run check\``);
        }
      },
      'astro:server:setup': ({ server, logger }) => {
        const folder = path.resolve(root, contentDir) + path.sep;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const recheck = (file: string) => {
          if (!file.startsWith(folder) || !file.endsWith('.md')) return;
          clearTimeout(timer);
          timer = setTimeout(() => {
            runChecks(root, contentDir, logger).then(
              (errors) => errors === 0 && logger.info('content checks passed'),
              (error: unknown) => logger.error(`content checks could not run: ${String(error)}`),
            );
          }, 200);
        };
        server.watcher.on('change', recheck).on('add', recheck).on('unlink', recheck);
      },
    },
  };
}
