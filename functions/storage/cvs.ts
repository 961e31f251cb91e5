/**
 * The layout of the CV bucket (R2 binding `CV_BUCKET`): every CV lives under `cv/` with a
 * server-generated key, never the applicant's file name, and carries the time it was uploaded
 * (`customMetadata.uploadedAt`), so the retention sweep can tell an orphan from an upload
 * whose row is still being written.
 */

/** The R2 operations storage uses (a real `R2Bucket` fits; tests may pass failing fakes). */
export type CvBucket = Pick<R2Bucket, 'put' | 'delete'>;

/** Prefix of every CV object key. */
export const CV_KEY_PREFIX = 'cv/';
/** Every CV is a PDF (checked by its bytes before it is stored). */
export const CV_CONTENT_TYPE = 'application/pdf';

/** A fresh key for a CV: `cv/<uuid>.pdf`. */
export function newCvKey(): string {
  return `${CV_KEY_PREFIX}${crypto.randomUUID()}.pdf`;
}

/** Puts a CV under its key; R2 checks the SHA-256 (hex) on arrival. */
export async function putCv(bucket: Pick<R2Bucket, 'put'>, key: string, cv: { bytes: ArrayBuffer | Uint8Array<ArrayBuffer>; sha256: string; uploadedAt: Date }): Promise<void> {
  await bucket.put(key, cv.bytes, {
    httpMetadata: { contentType: CV_CONTENT_TYPE },
    customMetadata: { uploadedAt: cv.uploadedAt.toISOString() },
    sha256: cv.sha256,
  });
}

/** When a CV object was uploaded, in milliseconds: its `uploadedAt` metadata, else R2's own time. */
export function cvUploadTime(object: Pick<R2Object, 'customMetadata' | 'uploaded'>): number {
  const stamped = Date.parse(object.customMetadata?.uploadedAt ?? '');
  return Number.isNaN(stamped) ? object.uploaded.getTime() : stamped;
}
