/**
 * Composition root of the applicant's own pages (the private link): the same bindings, clock
 * and delivery as the recruiters' inbox, whose deletion it shares (src/server/recruiters.ts).
 * functions/applicants receives everything as parameters.
 */
import type { ApplicantDeps } from '#functions/applicants/own.ts';
import { privateAreaDeps } from '#src/server/recruiters.ts';

/** The dependencies of the applicant's pages. */
export function applicantDeps(): ApplicantDeps {
  return privateAreaDeps();
}
