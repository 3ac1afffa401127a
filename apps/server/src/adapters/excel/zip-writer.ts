import { promisify } from 'node:util';
import zlib from 'node:zlib';

const deflateRaw = promisify(zlib.deflateRaw);

/** 1980-01-01 00:00, the first instant a zip entry can carry: the export's entries need no time. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Data descriptor follows the data (sizes unknown up front); names are UTF-8. */
const FLAGS = 0x0008 | 0x0800;
const DEFLATE = 8;
const VERSION = 20;
const MAX_32 = 0xffffffff;

interface Entry {
  name: Buffer;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
}

export interface ZipEntryWriter {
  /** Deflates and writes the next piece of the entry. */
  write(data: Buffer): Promise<void>;
  /** Ends the entry's deflate stream and writes its data descriptor. */
  end(): Promise<void>;
}

/**
 * A zip archive written front to back into `emit`, one entry at a time, each a deflate stream fed in
 * pieces: nothing but the piece being compressed is held in memory. Each piece is deflated on the
 * thread pool and ends on a sync flush, so the pieces' outputs join into one valid stream that the
 * last, empty, final block closes. No zip64: an entry or the archive past 4 GiB is refused.
 */
export class ZipWriter {
  private readonly entries: Entry[] = [];
  private offset = 0;

  constructor(
    private readonly emit: (chunk: Buffer) => Promise<void>,
    private readonly level: number,
  ) {}

  async file(name: string, content: string): Promise<void> {
    const entry = await this.begin(name);
    await entry.write(Buffer.from(content, 'utf8'));
    await entry.end();
  }

  async begin(name: string): Promise<ZipEntryWriter> {
    const entry: Entry = {
      name: Buffer.from(name, 'utf8'),
      offset: this.offset,
      crc: 0,
      compressed: 0,
      size: 0,
    };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(header, 4);
    // crc and sizes (14–25) stay 0: the data descriptor carries them
    header.writeUInt16LE(entry.name.length, 26);
    await this.put(Buffer.concat([header, entry.name]));
    return {
      write: async (data) => {
        if (data.length === 0) return;
        entry.crc = zlib.crc32(data, entry.crc);
        entry.size += data.length;
        if (entry.size > MAX_32) throw new RangeError(`zip entry ${name} is over 4 GiB`);
        const deflated = await deflateRaw(data, {
          level: this.level,
          finishFlush: zlib.constants.Z_SYNC_FLUSH,
        });
        entry.compressed += deflated.length;
        await this.put(deflated);
      },
      end: async () => {
        const last = zlib.deflateRawSync(Buffer.alloc(0), { level: this.level });
        entry.compressed += last.length;
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(0x08074b50, 0);
        descriptor.writeUInt32LE(entry.crc >>> 0, 4);
        descriptor.writeUInt32LE(entry.compressed, 8);
        descriptor.writeUInt32LE(entry.size, 12);
        await this.put(Buffer.concat([last, descriptor]));
        this.entries.push(entry);
      },
    };
  }

  /** Writes the central directory: the archive is complete once this resolves. */
  async finish(): Promise<void> {
    const start = this.offset;
    const records = this.entries.map((e) => {
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(VERSION, 4);
      writeEntryFields(record, 6);
      record.writeUInt32LE(e.crc >>> 0, 16);
      record.writeUInt32LE(e.compressed, 20);
      record.writeUInt32LE(e.size, 24);
      record.writeUInt16LE(e.name.length, 28);
      record.writeUInt32LE(e.offset, 42);
      return Buffer.concat([record, e.name]);
    });
    const directory = Buffer.concat(records);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.put(Buffer.concat([directory, end]));
  }

  private async put(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (this.offset > MAX_32) throw new RangeError('zip archive is over 4 GiB');
    await this.emit(chunk);
  }
}

/** Version needed, flags, method, time and date: the same run in a local header and a directory record. */
function writeEntryFields(buffer: Buffer, at: number): void {
  buffer.writeUInt16LE(VERSION, at);
  buffer.writeUInt16LE(FLAGS, at + 2);
  buffer.writeUInt16LE(DEFLATE, at + 4);
  buffer.writeUInt16LE(DOS_TIME, at + 6);
  buffer.writeUInt16LE(DOS_DATE, at + 8);
}
