import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUSES, isFinalStatus, PROCESS_STAGES, STAGE_OF_STATUS, statusesIn } from '#functions/storage/status.ts';

// What the applicant is told happens next follows the stage of the application's status
// (src/components/ApplicationConfirmation.astro): it must agree with what ends the process.
describe('the stages of the process an applicant is told', () => {
  it('put every final status, and only those, in the stage where the process has ended', () => {
    for (const status of APPLICATION_STATUSES) expect(STAGE_OF_STATUS[status] === 'ended', status).toBe(isFinalStatus(status));
  });

  it('hold every status exactly once, none of them empty', () => {
    expect(PROCESS_STAGES.flatMap(statusesIn).sort()).toEqual([...APPLICATION_STATUSES].sort());
    for (const stage of PROCESS_STAGES) expect(statusesIn(stage), stage).not.toEqual([]);
  });
});
