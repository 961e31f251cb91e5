/**
 * The statuses of an application, the one place they are listed (migration 0010's CHECK
 * repeats the list): recruiters move an application from `new` through the process to a final
 * status; a final status ends the process, and retention counts from that end
 * (functions/retention/period.ts). Words for people come from the UI strings
 * (`status.<value>` for recruiters, `applicant.status.<value>` for the applicant).
 */

/** Every status, in the order of the process (the inbox lists them so). */
export const APPLICATION_STATUSES = ['new', 'in_review', 'interview', 'offer', 'hired', 'rejected', 'withdrawn'] as const;
/** One status of an application. */
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** The status every application starts in (the column's default, migration 0010). */
export const INITIAL_STATUS = 'new' satisfies ApplicationStatus;

/** The statuses that end the recruiting process. */
export const FINAL_STATUSES = ['hired', 'rejected', 'withdrawn'] as const satisfies readonly ApplicationStatus[];

/**
 * How far an application's process has come, in the terms its applicant is told what happens
 * next in (the confirmation, src/components/ApplicationConfirmation.astro): the team reviews
 * it, the team is in talks with the applicant, or the process is over.
 */
export const PROCESS_STAGES = ['review', 'talks', 'ended'] as const;
/** One stage of the process, as the applicant is told it. */
export type ProcessStage = (typeof PROCESS_STAGES)[number];

/** The stage each status is in: every final status has ended the process, and only those. */
export const STAGE_OF_STATUS = {
  new: 'review',
  in_review: 'review',
  interview: 'talks',
  offer: 'talks',
  hired: 'ended',
  rejected: 'ended',
  withdrawn: 'ended',
} as const satisfies Record<ApplicationStatus, ProcessStage>;

/** The statuses in a stage, in the order of the process. */
export function statusesIn(stage: ProcessStage): ApplicationStatus[] {
  return APPLICATION_STATUSES.filter((status) => STAGE_OF_STATUS[status] === stage);
}

/** Whether a value is a status (for input from forms and query strings). */
export function isApplicationStatus(value: unknown): value is ApplicationStatus {
  return APPLICATION_STATUSES.some((status) => status === value);
}

/** Whether a status ends the recruiting process. */
export function isFinalStatus(status: ApplicationStatus): boolean {
  return FINAL_STATUSES.some((final) => final === status);
}

/**
 * The process end after a status change: a final status keeps an end already recorded (a
 * correction from `rejected` to `hired` does not restart the clock) or records `now`; a
 * status that is not final reopens the process (no end).
 */
export function processEndAfter(status: ApplicationStatus, recordedEnd: string | null, now: Date): string | null {
  if (!isFinalStatus(status)) return null;
  return recordedEnd ?? now.toISOString();
}
