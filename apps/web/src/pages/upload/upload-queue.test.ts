import { describe, expect, it } from 'vitest';
import type { UploadedFile } from '@kra/contracts';
import { uploadQueueReducer, type UploadItem } from './upload-queue';

const file = (name: string, size = 10) => new File(['x'.repeat(size)], name, { lastModified: 1 });
const result = (ok: boolean): UploadedFile => ({
  file_name: 'a.txt',
  ok,
  date: '2026-11-20',
  encoding: 'utf-8',
  line_count: 2,
  row_count: ok ? 1 : 0,
  replaced: false,
  errors: [],
  error_count: ok ? 0 : 1,
});

describe('uploadQueueReducer', () => {
  it('queues files and replaces a waiting file added again under the same name', () => {
    let items: UploadItem[] = uploadQueueReducer([], { type: 'add', files: [file('a.txt'), file('b.txt')] });
    items = uploadQueueReducer(items, { type: 'add', files: [file('a.txt', 20)] });
    expect(items.map((i) => [i.file.name, i.file.size, i.status])).toEqual([
      ['a.txt', 20, 'queued'],
      ['b.txt', 10, 'queued'],
    ]);
  });

  it('keeps a file in flight when it is added, removed or cleared again', () => {
    let items = uploadQueueReducer([], { type: 'add', files: [file('a.txt')] });
    const id = items[0]?.id ?? '';
    items = uploadQueueReducer(items, { type: 'start', id });
    items = uploadQueueReducer(items, { type: 'add', files: [file('a.txt', 99)] });
    items = uploadQueueReducer(items, { type: 'remove', id });
    items = uploadQueueReducer(items, { type: 'clear' });
    expect(items.map((i) => [i.file.size, i.status])).toEqual([[10, 'uploading']]);
  });

  it('goes uploading → processing → done or failed by the server’s verdict', () => {
    let items = uploadQueueReducer([], { type: 'add', files: [file('a.txt'), file('b.txt')] });
    const [a, b] = items.map((i) => i.id) as [string, string];
    for (const id of [a, b]) items = uploadQueueReducer(items, { type: 'start', id });
    items = uploadQueueReducer(items, { type: 'progress', id: a, loaded: 5 });
    items = uploadQueueReducer(items, { type: 'sent', id: a, at: 1000 });
    expect(items[0]).toMatchObject({ status: 'processing', loaded: 5, sentAt: 1000 });
    items = uploadQueueReducer(items, { type: 'finished', id: a, result: result(true) });
    items = uploadQueueReducer(items, { type: 'finished', id: b, result: result(false) });
    expect(items.map((i) => i.status)).toEqual(['done', 'failed']);
  });
});
