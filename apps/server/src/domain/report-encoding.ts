import iconv from 'iconv-lite';

export type ReportEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export function startsWithUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** Bytes → text for one encoding, fed chunk by chunk; multi-byte characters may straddle chunks. */
export interface ChunkDecoder {
  decode(chunk: Uint8Array): string;
  end(): string;
}

export class InvalidUtf8Error extends Error {
  constructor() {
    super('the bytes are not valid UTF-8');
  }
}

/**
 * UTF-8 is tried first and is strict: the first invalid sequence throws InvalidUtf8Error, and the
 * caller starts over as GBK. Files from Chinese Windows machines are GBK (GB18030 decodes GBK and
 * its superset alike), and GBK text is almost never valid UTF-8.
 */
export function createDecoder(encoding: ReportEncoding): ChunkDecoder {
  if (encoding === 'gbk') {
    const decoder = iconv.getDecoder('gb18030');
    return {
      decode: (chunk) => decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
      end: () => decoder.end() ?? '',
    };
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const guard = (run: () => string): string => {
    try {
      return run();
    } catch {
      throw new InvalidUtf8Error();
    }
  };
  return {
    decode: (chunk) => guard(() => decoder.decode(chunk, { stream: true })),
    end: () => guard(() => decoder.decode()),
  };
}
