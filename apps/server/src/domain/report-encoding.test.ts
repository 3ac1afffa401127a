import { describe, expect, it } from 'vitest';
import { createDecoder, InvalidUtf8Error, startsWithUtf8Bom } from './report-encoding';

// "项目" in GBK is CF EE C4 BF; in UTF-8 it is E9 A1 B9 E7 9B AE.
const GBK_PROJECT = Uint8Array.from([0xcf, 0xee, 0xc4, 0xbf]);
const UTF8_PROJECT = Uint8Array.from([0xe9, 0xa1, 0xb9, 0xe7, 0x9b, 0xae]);

function decodeInPieces(encoding: 'utf-8' | 'gbk', bytes: Uint8Array, cut: number): string {
  const decoder = createDecoder(encoding);
  return decoder.decode(bytes.subarray(0, cut)) + decoder.decode(bytes.subarray(cut)) + decoder.end();
}

describe('createDecoder', () => {
  it('decodes UTF-8 and GBK even when a character straddles two chunks', () => {
    expect(decodeInPieces('utf-8', UTF8_PROJECT, 1)).toBe('项目');
    expect(decodeInPieces('gbk', GBK_PROJECT, 1)).toBe('项目');
  });

  it('refuses GBK bytes as UTF-8 so the caller can start over', () => {
    expect(() => decodeInPieces('utf-8', GBK_PROJECT, 4)).toThrow(InvalidUtf8Error);
  });

  it('drops the UTF-8 BOM from the text', () => {
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]);
    expect(startsWithUtf8Bom(withBom)).toBe(true);
    expect(decodeInPieces('utf-8', withBom, 2)).toBe('a');
  });
});
