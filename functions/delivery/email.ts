/**
 * The e-mails to recruiters, in English. By default they carry no personal data: the
 * reference, the posting and a link to the application in the inbox, so the application stays
 * in one place, where retention deletes it on time. Only when RECRUITER_EMAIL_ATTACH_APPLICATION
 * asks for it does the new-application e-mail carry a summary of the answers and the CV as
 * `<reference>.pdf`: copies in mailboxes that retention cannot delete. Applicants' text only
 * ever reaches the body and the encoded Subject.
 */
import type { StoredApplication } from '#functions/storage/applications.ts';
import type { DeletedPayload } from '#functions/storage/deliveries.ts';
import { asLines, asOneLine } from '#functions/text.ts';
import { buildMimeMessage } from './mime.ts';

/** Where the message goes and comes from (wrangler.toml [vars]). */
export interface EmailAddresses {
  /** A sender on a domain onboarded to Cloudflare Email Routing. */
  from: string;
  /** The recruiters' address (verified in Email Routing). */
  to: string;
}

/** The Subject: reference and posting, e.g. `Application ML-7F3K9Q: Machine Learning Intern`. */
export function recruiterEmailSubject(application: StoredApplication, jobTitle: string | undefined): string {
  return `Application ${application.reference}: ${jobTitle ?? application.jobSlug}`;
}

/** The posting as recruiters read it: title and slug, or the slug alone. */
const postingName = (jobSlug: string, jobTitle: string | undefined) => (jobTitle ? `${jobTitle} (${jobSlug})` : jobSlug);

/** Marks each line of the applicant's own free text, so no line of it can pass for one of ours. */
const QUOTE = '> ';

/**
 * The English summary, one fact per line, the motivation last and set apart. Every value is
 * kept on its own line (functions/text.ts): a name with a line break or a bidi override,
 * whether refused by today's form or stored before, cannot fake or reorder a line. The
 * motivation is quoted line by line, as e-mail quotes what someone else wrote.
 */
export function recruiterEmailText(application: StoredApplication, jobTitle: string | undefined): string {
  const { answers, consent, cv } = application;
  const posting = postingName(application.jobSlug, jobTitle);
  const facts: [string, string | undefined][] = [
    ['Reference', application.reference],
    ['Posting', posting],
    ['Name', `${answers.firstName} ${answers.lastName}`],
    ['E-mail', answers.email],
    ['Phone', answers.phone],
    ['University', answers.university],
    ['Degree', answers.degree],
    ['Graduation', answers.graduation],
    ['Start', answers.startDate],
    ['Duration', `${answers.durationMonths} months`],
    ['Talent pool', consent.talentPool ? `yes (consented ${consent.talentPoolConsentedAt ?? ''})` : 'no'],
    ['Locale', application.locale],
    ['Submitted at', application.createdAt],
    ['Privacy notice', `${consent.privacyNoticeVersion} (accepted ${consent.privacyConsentedAt})`],
  ];
  const lines = [
    `A new application for ${asOneLine(posting)}.`,
    '',
    ...facts.map(([label, value]) => `${`${label}:`.padEnd(16)}${asOneLine(value || '-')}`),
    '',
    'Links:',
    ...(answers.links.length ? answers.links.map((link) => `  ${asOneLine(link)}`) : ['  -']),
    '',
    answers.motivation ? `Motivation, in the applicant's words (each line marked "${QUOTE.trim()}"):` : 'Motivation: -',
    ...(answers.motivation ? asLines(answers.motivation).map((line) => `${QUOTE}${line}`.trimEnd()) : []),
    '',
    `CV: attached as ${application.reference}.pdf (${cv.size} bytes, SHA-256 ${cv.sha256}).`,
  ];
  return lines.join('\n');
}

/** What every e-mail to recruiters needs. */
interface RecruiterMail {
  jobTitle: string | undefined;
  addresses: EmailAddresses;
  /** The application's page in the inbox (absolute URL). */
  inboxUrl: string;
  /** The event's id, for the Message-ID (the same on every attempt). */
  eventId: string;
  now: Date;
}

/** The default body of the new-application e-mail: reference, posting, link; nothing personal. */
export function recruiterNotificationText(application: StoredApplication, jobTitle: string | undefined, inboxUrl: string): string {
  return [
    `A new application for ${postingName(application.jobSlug, jobTitle)}.`,
    '',
    `Reference:      ${application.reference}`,
    `Submitted at:   ${application.createdAt}`,
    '',
    `Open it in the inbox: ${inboxUrl}`,
    '',
    'This e-mail carries no personal data on purpose: the application stays in the inbox, where it is deleted on time.',
  ].join('\n');
}

function messageId(eventId: string, from: string): string {
  return `${eventId}@${from.slice(from.lastIndexOf('@') + 1)}`;
}

/**
 * The new-application e-mail. With `cv` (RECRUITER_EMAIL_ATTACH_APPLICATION), the summary of
 * the answers and the CV attached, Reply-To the applicant; otherwise the default without
 * personal data.
 */
export function buildRecruiterEmail(input: RecruiterMail & { application: StoredApplication; cv?: Uint8Array | undefined }): string {
  const { application, addresses } = input;
  const attached = input.cv !== undefined;
  const text = attached
    ? [
        recruiterEmailText(application, input.jobTitle),
        '',
        `Open it in the inbox: ${input.inboxUrl}`,
        '',
        'Retention cannot delete copies in mailboxes: delete this e-mail when the process ends.',
      ].join('\n')
    : recruiterNotificationText(application, input.jobTitle, input.inboxUrl);
  return buildMimeMessage({
    from: addresses.from,
    to: addresses.to,
    replyTo: attached ? application.answers.email : undefined,
    subject: recruiterEmailSubject(application, input.jobTitle),
    text,
    attachment: input.cv && { filename: `${application.reference}.pdf`, contentType: 'application/pdf', bytes: input.cv },
    messageId: messageId(input.eventId, addresses.from),
    date: input.now,
  });
}

/** The e-mail telling recruiters that an applicant withdrew and everything was deleted. */
export function buildWithdrawalEmail(input: RecruiterMail & { deletion: DeletedPayload }): string {
  const { deletion, addresses } = input;
  const posting = postingName(deletion.job.slug, input.jobTitle);
  return buildMimeMessage({
    from: addresses.from,
    to: addresses.to,
    subject: `Application ${deletion.reference} withdrawn: ${input.jobTitle ?? deletion.job.slug}`,
    text: [
      `The applicant withdrew application ${deletion.reference} for ${posting} at ${deletion.deletedAt}.`,
      'Its answers, its CV and its deliveries have been deleted from the careers site.',
      '',
      'Please delete any copies you made: downloads, exports, forwarded e-mails, notes.',
      '',
      `Its history stays in the inbox: ${input.inboxUrl}`,
    ].join('\n'),
    messageId: messageId(input.eventId, addresses.from),
    date: input.now,
  });
}
