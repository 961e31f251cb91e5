/**
 * A small MIME (RFC 2045–2047, 5322) writer for our e-mails: one UTF-8 text part, base64, and,
 * when there is one, an attachment beside it (multipart/mixed). Written here rather than taken from a
 * library because the usual one drags babel runtimes into the Worker bundle.
 *
 * Header injection is impossible by construction: text that may come from applicants only
 * reaches header lines RFC 2047-encoded (base64, so no CR, LF or colon survives), addresses
 * must match a strict pattern, the other values are generated or reduced to safe characters,
 * and the finished header block is checked line by line besides.
 */
import { toBase64 } from '#functions/encoding.ts';

/** Longest line of base64 body text (RFC 2045 allows 76 characters). */
export const BASE64_LINE_LENGTH = 76;
/** Longest encoded-word (RFC 2047 § 2). */
const ENCODED_WORD_MAX_LENGTH = 75;
/**
 * Bytes per encoded-word: `=?UTF-8?B?` + base64 of 39 bytes (52 chars) + `?=` = 64, so even
 * the first line, `Subject: ` and a word, stays within 76 characters.
 */
const ENCODED_WORD_BYTES = 39;

/** A plain mailbox: no display name, no comments, nothing that could end a header line. */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Whether `value` is a bare address that may stand in a header as it is. */
export function isPlainAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/** A header value with every CR and LF removed: it cannot start a new header line. */
export function stripLineBreaks(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** Base64 of bytes in lines of at most 76 characters, each ended by CRLF. */
export function base64Lines(bytes: Uint8Array): string {
  const encoded = toBase64(bytes);
  let lines = '';
  for (let index = 0; index < encoded.length; index += BASE64_LINE_LENGTH) {
    lines += `${encoded.slice(index, index + BASE64_LINE_LENGTH)}\r\n`;
  }
  return lines;
}

/**
 * `text` as RFC 2047 encoded-words (UTF-8, base64), folded onto continuation lines. Words split
 * between characters, never inside one's UTF-8 bytes, as § 5 requires.
 */
export function encodeHeaderText(text: string): string {
  const encoder = new TextEncoder();
  const words: string[] = [];
  let chunk = '';
  for (const character of stripLineBreaks(text)) {
    if (encoder.encode(chunk + character).length > ENCODED_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk !== '' || words.length === 0) words.push(chunk);
  return words
    .map((word) => `=?UTF-8?B?${toBase64(encoder.encode(word))}?=`)
    .map((word) => {
      if (word.length > ENCODED_WORD_MAX_LENGTH) throw new Error('encoded-word too long');
      return word;
    })
    .join('\r\n ');
}

/** RFC 5322 date-time in UTC, e.g. `Thu, 26 Nov 2026 10:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  // toUTCString gives "Thu, 26 Nov 2026 10:00:00 GMT"; the numeric zone is the preferred form.
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** The file attached to a message. */
export interface Attachment {
  /** File name, ASCII letters, digits, dot, dash and underscore only (others are replaced). */
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Everything one message consists of. */
export interface MailMessage {
  /** Sender address (plain, no display name). */
  from: string;
  /** Recipient address (plain). */
  to: string;
  /** Where replies go; left out unless a plain address. */
  replyTo?: string | undefined;
  /** Any text: it is always encoded. */
  subject: string;
  /** The body, plain text (any Unicode). */
  text: string;
  /** A file to attach; none by default. */
  attachment?: Attachment | undefined;
  /** `Message-ID` without angle brackets: `<local>@<domain>`. */
  messageId: string;
  date: Date;
  /** The multipart boundary; random by default (tests may fix it). */
  boundary?: string | undefined;
}

function requireAddress(role: string, value: string): string {
  if (!isPlainAddress(value)) throw new Error(`the ${role} address is not a plain e-mail address: configure a bare address such as careers@example.com`);
  return value;
}

/** The whole message as a string with CRLF line ends, ready for `EmailMessage`. */
export function buildMimeMessage(message: MailMessage): string {
  const boundary = message.boundary ?? `=_careers_${crypto.randomUUID().replaceAll('-', '')}`;
  if (!/^[A-Za-z0-9'()+_,./:=?-]{1,69}$/.test(boundary)) throw new Error('invalid MIME boundary');
  const messageId = message.messageId.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]/g, '');
  const { attachment } = message;

  const headers = [
    `From: ${requireAddress('sender', message.from)}`,
    `To: ${requireAddress('recipient', message.to)}`,
    ...(message.replyTo !== undefined && isPlainAddress(message.replyTo) ? [`Reply-To: ${message.replyTo}`] : []),
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Date: ${rfc5322Date(message.date)}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    attachment ? `Content-Type: multipart/mixed;\r\n boundary="${boundary}"` : 'Content-Type: text/plain; charset=UTF-8',
    ...(attachment ? [] : ['Content-Transfer-Encoding: base64']),
  ];
  // The last line of defence: every line is a known header or a folded continuation.
  for (const line of headers.join('\r\n').split('\r\n')) {
    if (!/^(?:(?:From|To|Reply-To|Subject|Date|Message-ID|MIME-Version|Content-Type|Content-Transfer-Encoding): | \S)/.test(line)) {
      throw new Error('refusing to write an unexpected header line');
    }
  }
  const text = base64Lines(new TextEncoder().encode(message.text.replace(/\r?\n/g, '\r\n')));
  if (!attachment) return [...headers, '', text].join('\r\n');

  const filename = attachment.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  const contentType = stripLineBreaks(attachment.contentType).replace(/[^A-Za-z0-9/.+-]/g, '');
  return [
    ...headers,
    '',
    'This is a multipart message in MIME format.',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    text + `--${boundary}`,
    `Content-Type: ${contentType}; name="${filename}"`,
    `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(attachment.bytes) + `--${boundary}--`,
    '',
  ].join('\r\n');
}
