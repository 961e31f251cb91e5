import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './site.ts';

/** Bytes of a small but real PDF, padded to `size` bytes with a comment. */
export function pdfBytes(size = 2048): Buffer {
  const body = '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
  return Buffer.concat([Buffer.from(body), Buffer.alloc(Math.max(0, size - body.length), '%')]);
}

/** Writes a file for a browser's file chooser and returns its path. */
export function writeUpload(name: string, bytes: Buffer): string {
  const path = join(ROOT, 'test', '.tmp', name);
  writeFileSync(path, bytes);
  return path;
}
