/**
 * Progressive enhancement of the application form: inline validation with the server's own
 * messages (embedded in the page), upload progress, and submission without a page reload
 * through the JSON API. Without this script the form still posts and the server answers.
 * The rules come from the server's own limits module (zod-free, so it stays small here).
 *
 * The form may be on our page, in a host page's Web Fragment (where `document` is the
 * fragment's), or in the shadow root of a fragment a host inserted (`[data-careers-fragment]`).
 * An accepted application dispatches `careers:application-submitted` (bubbling and composed, so
 * a host's listener on its document hears it) with `{ job, locale }`: no personal data.
 */
import {
  CV_MAX_BYTES,
  hasPdfMagic,
  isDurationMonths,
  isMonth,
  isPhoneNumber,
  LINKS_MAX_COUNT,
  parseWebLink,
  PDF_MAGIC,
  splitLinks,
} from '#functions/applications/limits.ts';
import { hasUnsafeLineCharacters } from '#functions/text.ts';
import { isCalendarDate, todayInMunich } from '#functions/time.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The JSON API's answer (functions/applications/handler.ts): accepted, or refused with issues. */
interface Answer {
  reference?: string;
  outcome?: string;
  message?: string;
  link?: string | null;
  status?: string | null;
  error?: string;
  issues?: Array<{ field: string; message: string }>;
}

/** The event a host can listen for; its name and detail are a documented contract. */
const SUBMITTED_EVENT = 'careers:application-submitted';

const fragments = [...document.querySelectorAll('[data-careers-fragment]')].map((host) => host.shadowRoot);
for (const root of [document, ...fragments]) {
  const form = root?.querySelector<HTMLFormElement>('#application-form');
  if (form && !form.dataset.enhanced) enhance(form);
}

function enhance(form: HTMLFormElement): void {
  const data = form.dataset;
  data.enhanced = 'true';
  // The document or shadow root the form lives in: ids are looked up there.
  const root = form.getRootNode() as Document | ShadowRoot;
  // In a host's page: a declarative shadow root the host inserted (way 3), or Web Fragments,
  // which runs this script in a hidden same-origin iframe it names `wf:<fragment id>`
  // (web-fragments' `reframed`) and makes the form's root node look like that iframe's
  // document (way 2). There the host's scripts can read our DOM, so the confirmation never
  // writes the applicant's private link into it. (Our page in some other frame is not embedded.)
  const inWebFragments = window.frameElement !== null && window.name.startsWith('wf:');
  const embedded = root !== document || inWebFragments;
  const messages: Record<string, Record<string, string>> = JSON.parse(data.messages ?? '{}');
  const summary = form.querySelector<HTMLElement>('#form-summary')!;
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  const progress = form.querySelector<HTMLProgressElement>('progress')!;
  const status = form.querySelector<HTMLElement>('.upload-status')!;
  // One key per filled-in form: a double click or a retry returns the first reference.
  const idempotencyKey = crypto.randomUUID();
  const controls = () => ([...form.elements] as Control[]).filter((el) => el.name in messages);
  const touched = new Set<string>();

  async function problemOf(el: Control): Promise<string> {
    const m = messages[el.name] ?? {};
    const value = el.value.trim();
    if (el instanceof HTMLInputElement && el.type === 'file') {
      const file = el.files?.[0];
      if (!file) return m['form.error.cvRequired'] ?? '';
      if (file.size > CV_MAX_BYTES) return m['form.error.cvSize'] ?? '';
      return hasPdfMagic(new Uint8Array(await file.slice(0, PDF_MAGIC.length).arrayBuffer())) ? '' : (m['form.error.cvType'] ?? '');
    }
    const v = el.validity;
    // Each required field has its own words for "empty" (choose, enter a date …): the key starting form.error.required.
    const required = Object.keys(m).find((key) => key.startsWith('form.error.required')) ?? 'form.error.privacy';
    if (v.valueMissing || (el.required && !value)) return m[required] ?? '';
    if ('maxLength' in el && el.maxLength > 0 && el.value.length > el.maxLength) return m['form.error.tooLong'] ?? '';
    if (m['form.error.characters'] && hasUnsafeLineCharacters(value)) return m['form.error.characters'];
    if (v.typeMismatch) return m['form.error.email'] ?? '';
    if (el.name === 'phone' && value && !isPhoneNumber(value)) return m['form.error.phone'] ?? '';
    if (el.name === 'graduation' && value && !isMonth(value)) return m['form.error.graduation'] ?? '';
    if (el.name === 'startDate' && (v.badInput || (value && !isCalendarDate(value)))) return m['form.error.startDate'] ?? '';
    // "Today" is the day in Munich, as the server counts it, not the visitor's or UTC's.
    if (el.name === 'startDate' && value && value < todayInMunich(new Date())) return m['form.error.startDatePast'] ?? '';
    if (el.name === 'durationMonths' && (v.badInput || (value && !isDurationMonths(value)))) return m['form.error.durationMonths'] ?? '';
    if (el.name === 'links') {
      const links = splitLinks(el.value);
      // In the server's order: too many links first, then a link that is none.
      if (links.length > LINKS_MAX_COUNT) return m['form.error.linksTooMany'] ?? '';
      for (const link of links) {
        const parsed = parseWebLink(link);
        if ('problem' in parsed) return m[parsed.problem] ?? '';
      }
    }
    return '';
  }

  function show(name: string, message: string): void {
    const box = form.querySelector<HTMLElement>(`#${name}-error`);
    const el = form.elements.namedItem(name) as Control | null;
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
    if (!el) return;
    el.setAttribute('aria-invalid', String(Boolean(message)));
    const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
    if (message) ids.add(box.id);
    else ids.delete(box.id);
    el.setAttribute('aria-describedby', [...ids].join(' '));
  }

  function summarize(heading: string, problems: Array<[string, string]>): void {
    // A checkbox's label is a whole sentence: its message stands alone in the summary.
    const labelOf = (name: string) => {
      const label = form.querySelector(`label[for="${name}"]`)?.firstChild?.textContent?.trim();
      return !label || (form.elements.namedItem(name) as HTMLInputElement | null)?.type === 'checkbox' ? '' : `${label}: `;
    };
    summary.replaceChildren();
    const h = document.createElement(`h${data.headingLevel ?? '3'}`);
    h.textContent = heading;
    summary.appendChild(h);
    if (problems.length) {
      const list = document.createElement('ul');
      for (const [name, message] of problems) {
        const link = Object.assign(document.createElement('a'), { href: `#${name}`, textContent: `${labelOf(name)}${message}` });
        const item = document.createElement('li');
        item.appendChild(link);
        list.appendChild(item);
      }
      summary.appendChild(list);
    }
    summary.hidden = false;
    summary.focus();
  }

  // The error summary's "#field" links and "Apply now" above the posting, handled here: inside a
  // host's page (a shadow root, or Web Fragments' document) no "#id" link reaches its target,
  // since the browser looks for it in the host's document. A field takes the focus (the browser
  // brings it into view); the form's section comes to the top and takes the focus, so Tab goes
  // on inside the form.
  root.addEventListener('click', (event) => {
    const link = (event.target as Element).closest?.('a[href^="#"]') as HTMLAnchorElement | null;
    if (!link || !(summary.contains(link) || link.closest('[data-apply-link]'))) return;
    const target = root.querySelector<HTMLElement>(link.hash);
    if (!target) return;
    event.preventDefault();
    if (summary.contains(link)) return target.focus();
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  });

  // Showing or hiding a message moves everything below it. While a mouse button or finger is
  // down (the focus left a field because the submit button is being pressed), a field's check
  // waits until it is released, so the click lands where it was aimed; submitting checks
  // every field anyway. The listeners sit on the page's document (the form's owner, also when
  // the form is in a shadow root): pointer events reach it from everywhere.
  const page = form.ownerDocument;
  let pressed = false;
  const waiting = new Set<Control>();
  page.addEventListener('pointerdown', () => (pressed = true), true);
  const release = () => {
    pressed = false;
    // After the click, which follows the release in the same task.
    setTimeout(() => {
      for (const el of waiting) void check(el);
      waiting.clear();
    });
  };
  page.addEventListener('pointerup', release, true);
  page.addEventListener('pointercancel', release, true);
  const check = async (el: Control) => {
    const message = await problemOf(el);
    if (pressed) waiting.add(el);
    else show(el.name, message);
  };
  form.addEventListener('focusout', (event) => {
    const el = event.target as Control;
    if (el.name in messages && (touched.has(el.name) || el.value)) touched.add(el.name), void check(el);
  });
  form.addEventListener('change', (event) => {
    const el = event.target as Control;
    if (el.name in messages) touched.add(el.name), void check(el);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const problems: Array<[string, string]> = [];
    for (const el of controls()) {
      const message = await problemOf(el);
      show(el.name, message);
      if (message) problems.push([el.name, message]);
    }
    if (problems.length) return summarize(data.summary ?? '', problems);
    send();
  });

  function send(): void {
    const body = new FormData(form);
    body.set('job', data.job ?? '');
    body.set('locale', data.locale ?? '');
    const request = new XMLHttpRequest();
    request.open('POST', data.api ?? '');
    request.setRequestHeader('Idempotency-Key', idempotencyKey);
    request.setRequestHeader('Accept', 'application/json');
    const busy = (on: boolean) => {
      button.disabled = on;
      progress.hidden = !on;
      if (!on) status.textContent = '';
    };
    request.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.round((event.loaded / event.total) * 100);
      progress.value = percent;
      status.textContent = (data.sending ?? '').replace('{percent}', String(percent));
    };
    request.onload = () => {
      busy(false);
      let answer: Answer = {};
      try {
        answer = JSON.parse(request.responseText);
      } catch {
        // not JSON: reported as a network problem below
      }
      if (request.status === 201 && answer.reference) return done(answer);
      // A Turnstile token is single-use: get a fresh one for the next attempt.
      (window as { turnstile?: { reset(): void } }).turnstile?.reset();
      const issues = (answer.issues ?? []).map(({ field, message }) => [field === 'cf-turnstile-response' ? 'turnstile' : field, message] as [string, string]);
      for (const [name, message] of issues) show(name, message);
      summarize(answer.error ?? data.networkError ?? '', issues);
    };
    request.onerror = () => {
      busy(false);
      summarize(data.networkError ?? '', []);
    };
    busy(true);
    request.send(body);
  }

  // The same facts as the page the form leads to without JavaScript: what happened, the
  // reference, the applicant's private link (in a host's page: a button that opens it) and
  // what happens next by the application's status (src/components/ApplicationConfirmation.astro
  // renders every variant; the answer and where the form is pick).
  function done(answer: Answer): void {
    form.dispatchEvent(new CustomEvent(SUBMITTED_EVENT, { bubbles: true, composed: true, detail: { job: data.job, locale: data.locale } }));
    const panel = root.querySelector<HTMLElement>('#application-done')!;
    const { link, status } = answer;
    panel.querySelector('[data-reference]')!.textContent = answer.reference ?? '';
    panel.querySelector('[data-outcome]')!.textContent = answer.message ?? '';
    for (const title of panel.querySelectorAll<HTMLElement>('[data-kind]')) title.hidden = title.dataset.kind !== answer.outcome;
    for (const step of panel.querySelectorAll<HTMLElement>('[data-statuses]')) step.hidden = !status || !step.dataset.statuses?.split(' ').includes(status);
    panel.querySelector<HTMLElement>('[data-private-link]')!.hidden = !link;
    panel.querySelector<HTMLElement>('[data-link-here]')!.hidden = embedded;
    panel.querySelector<HTMLElement>('[data-link-elsewhere]')!.hidden = !embedded;
    // In a host's page the link stays in this closure: the button opens it in the host's page
    // (way 3: this window; way 2: the page around Web Fragments' iframe, its parent, not that
    // iframe), never further up should the host's page itself be framed.
    if (link && embedded) panel.querySelector<HTMLButtonElement>('[data-open-link]')!.onclick = () => (inWebFragments ? window.parent : window).location.assign(link);
    else if (link) {
      panel.querySelector<HTMLAnchorElement>('[data-link]')!.href = link;
      panel.querySelector<HTMLInputElement>('[data-link-text]')!.value = link;
    }
    form.hidden = true;
    panel.hidden = false;
    panel.focus();
  }
}
