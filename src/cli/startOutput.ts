/**
 * What `npm start` (./start.ts) shows of its tools' output: one line for the migrations, and
 * of `wrangler dev` only what matters while the site runs (requests, the Worker's log lines,
 * warnings and errors), not the bindings table it prints again at every reload nor its own
 * "Ready" line, which start.ts replaces with one of its own. Pure, so it is tested on real output.
 */

const ANSI = /\u001b\[[0-9;]*m/g;

/** A line without its colour codes. */
export function plainLine(line: string): string {
  return line.replace(ANSI, '');
}

/** One line about `wrangler d1 migrations apply`'s output: how many migrations it applied. */
export function summarizeMigrations(output: string): string {
  const text = plainLine(output);
  if (/No migrations to apply/.test(text)) return 'Database: up to date';
  const applied = new Set([...text.matchAll(/│\s*(\d{4}_[\w.-]+\.sql)\s*│\s*✅/g)].map((match) => match[1]));
  return `Database: ${applied.size} migration${applied.size === 1 ? '' : 's'} applied`;
}

/** What the dev server's output filter makes of one line. */
export type DevOutputLine = { show: string } | { ready: string } | { hide: true };

/**
 * A filter for `wrangler dev` output, line by line: blocks it repeats at every reload (the
 * bindings and module tables, connection notices, the note that crons do not run by themselves)
 * are hidden, its "Ready on" line becomes `{ ready: url }`, everything else is shown.
 */
export function createDevOutputFilter(): (line: string) => DevOutputLine {
  let hiding: 'until-blank' | 'table' | 'cron-note' | undefined;
  let lastShownBlank = true;
  return (raw) => {
    const line = plainLine(raw).trimEnd();
    if (hiding === 'until-blank') {
      if (line === '') hiding = undefined;
      return { hide: true };
    }
    if (hiding === 'table') {
      if (/^[┌│├└]/.test(line)) return { hide: true };
      hiding = undefined;
    }
    if (hiding === 'cron-note') {
      if (/For more details/.test(line)) hiding = undefined;
      return { hide: true };
    }
    if (/^Your Worker has access to the following bindings:/.test(line)) {
      hiding = 'until-blank';
      return { hide: true };
    }
    if (/^Attaching additional modules:/.test(line)) {
      hiding = 'table';
      return { hide: true };
    }
    if (/Scheduled Workers are not automatically triggered/.test(line)) {
      hiding = 'cron-note';
      return { hide: true };
    }
    const ready = /^\[wrangler:info\] Ready on (\S+)/.exec(line);
    if (ready?.[1]) return { ready: ready[1] };
    if (/^⎔ (Starting local server|Reloading local server|Connection status updated)/.test(line) || /^\[wrangler:info\] ✨ Parsed \d+ valid header rules?\.$/.test(line)) {
      return { hide: true };
    }
    // At most one blank line in a row (hidden blocks leave theirs behind).
    if (line === '') {
      if (lastShownBlank) return { hide: true };
      lastShownBlank = true;
      return { show: raw };
    }
    lastShownBlank = false;
    return { show: raw };
  };
}
