/**
 * The floor a Worker route is compared with in `npm run bench`: the minimum work of each
 * request, with nothing else in front.
 * - `POST /api/applications`: read the multipart body, hash the CV, put it in R2 and insert
 *   the row in D1, exactly as the application store does (same schema, same one INSERT, same
 *   R2 put with its SHA-256 check); no validation, rate limit, deduplication or i18n.
 * - any `GET`: a constant 302 to `/en/`, the least a redirect from a Worker costs.
 */
interface FloorEnv {
  DB: D1Database;
  CV_BUCKET: R2Bucket;
}

const INSERT_APPLICATION = `INSERT OR IGNORE INTO applications (
  reference, submission_key, fingerprint, job_slug, locale, answers,
  privacy_notice_version, privacy_consented_at, talent_pool, talent_pool_consented_at,
  cv_key, cv_size, cv_sha256, created_at
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`;

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

async function storeApplication(request: Request, env: FloorEnv): Promise<Response> {
  const form = await request.formData();
  const cv = form.get('cv');
  if (!(cv instanceof File)) return new Response('cv missing', { status: 400 });
  const bytes = await cv.arrayBuffer();
  const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));
  const id = crypto.randomUUID();
  const cvKey = `cv/${id}.pdf`;
  const now = new Date().toISOString();
  await env.CV_BUCKET.put(cvKey, bytes, { httpMetadata: { contentType: 'application/pdf' }, customMetadata: { uploadedAt: now }, sha256 });
  const answers: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string') answers[name] = value;
  const reference = `FL-${id.slice(0, 6).toUpperCase()}`;
  await env.DB.prepare(INSERT_APPLICATION)
    .bind(reference, `key:${id}`, `fp:${id}`, answers.job ?? '', answers.locale ?? '', JSON.stringify(answers), 'floor', now, 0, null, cvKey, bytes.byteLength, sha256, now)
    .run();
  return Response.json({ reference }, { status: 201 });
}

export default {
  async fetch(request, env) {
    if (request.method === 'POST') return storeApplication(request, env);
    return new Response(null, { status: 302, headers: { Location: '/en/' } });
  },
} satisfies ExportedHandler<FloorEnv>;
