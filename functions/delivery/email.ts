/**
 * The e-mail to recruiters: an English summary of the application and the CV attached as
 * `<reference>.pdf`. Applicants' text only ever reaches the body and the encoded Subject.
 */
import type { StoredApplication } from '#functions/storage/applications.ts';
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
  const posting = jobTitle ? `${jobTitle} (${application.jobSlug})` : application.jobSlug;
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

/** The whole MIME message for one application. */
export function buildRecruiterEmail(input: {
  application: StoredApplication;
  jobTitle: string | undefined;
  cv: Uint8Array;
  addresses: EmailAddresses;
  now: Date;
}): string {
  const { application, addresses } = input;
  const domain = addresses.from.slice(addresses.from.lastIndexOf('@') + 1);
  return buildMimeMessage({
    from: addresses.from,
    to: addresses.to,
    replyTo: application.answers.email,
    subject: recruiterEmailSubject(application, input.jobTitle),
    text: recruiterEmailText(application, input.jobTitle),
    attachment: { filename: `${application.reference}.pdf`, contentType: 'application/pdf', bytes: input.cv },
    messageId: `${application.reference}.${crypto.randomUUID()}@${domain}`,
    date: input.now,
  });
}
