import { describe, expect, it } from 'vitest';
import { generateReference, REFERENCE_ALPHABET, REFERENCE_PATTERN, referencePrefix } from '#functions/applications/reference.ts';

describe('application references', () => {
  it('look like ML-7F3K9Q for the machine learning internship', () => {
    const reference = generateReference('machine-learning-intern');
    expect(reference).toMatch(/^ML-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
    expect(reference).toMatch(REFERENCE_PATTERN);
  });

  it('never use characters that are easily confused', () => {
    expect(REFERENCE_ALPHABET).not.toMatch(/[01ILOU]/);
    const randomParts = Array.from({ length: 500 }, () => generateReference('machine-learning-intern').slice('ML-'.length)).join('');
    expect(randomParts).not.toMatch(/[01ILOU]/);
  });

  it('take the prefix from the slug’s first two words, or AP when it has fewer', () => {
    expect(referencePrefix('data-science-working-student')).toBe('DS');
    expect(referencePrefix('designer')).toBe('AP');
    expect(referencePrefix('2026')).toBe('AP');
  });

  it('skip random bytes that would favour the first characters of the alphabet', () => {
    // 240 = 8 × 30 is the first biased byte; 0 maps to "2", 29 to "Z".
    const bytes = [255, 240, 0, 29, 30, 59, 241, 1, 2];
    const reference = generateReference('machine-learning-intern', (array) => {
      array.fill(0);
      array.set(bytes.slice(0, array.length));
      return array;
    });
    expect(reference).toBe('ML-2Z2Z34');
  });

  it('differ between calls', () => {
    const references = new Set(Array.from({ length: 1000 }, () => generateReference('machine-learning-intern')));
    expect(references.size).toBeGreaterThan(995);
  });
});
