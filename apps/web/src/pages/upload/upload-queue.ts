import type { UploadedFile } from '@kra/contracts';

export type UploadStatus = 'queued' | 'uploading' | 'processing' | 'done' | 'failed' | 'error' | 'cancelled';

export interface UploadItem {
  id: string;
  file: File;
  status: UploadStatus;
  loaded: number;
  /** When the last byte was sent (ms since epoch): the server has been parsing since. */
  sentAt?: number;
  /** The server's verdict on the file (status done or failed). */
  result?: UploadedFile;
  /** Why the request itself failed (status error). */
  error?: unknown;
}

export type UploadAction =
  | { type: 'add'; files: File[] }
  | { type: 'remove'; id: string }
  | { type: 'clear' }
  | { type: 'start'; id: string }
  | { type: 'progress'; id: string; loaded: number }
  | { type: 'sent'; id: string; at: number }
  | { type: 'finished'; id: string; result: UploadedFile }
  | { type: 'error'; id: string; error: unknown }
  | { type: 'cancelled'; id: string };

export const isBusy = (item: UploadItem) => item.status === 'uploading' || item.status === 'processing';
export const isPending = (item: UploadItem) =>
  item.status === 'queued' || item.status === 'error' || item.status === 'cancelled';

const itemId = (file: File) => `${file.name}:${file.size}:${file.lastModified}`;

function patch(items: UploadItem[], id: string, change: Partial<UploadItem>): UploadItem[] {
  return items.map((item) => (item.id === id ? { ...item, ...change } : item));
}

/** The upload list. A file added again under the same name replaces the earlier entry unless it is in flight. */
export function uploadQueueReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case 'add': {
      let next = items;
      for (const file of action.files) {
        const existing = next.find((item) => item.file.name === file.name);
        if (existing && isBusy(existing)) continue;
        const fresh: UploadItem = { id: itemId(file), file, status: 'queued', loaded: 0 };
        next = existing ? next.map((item) => (item === existing ? fresh : item)) : [...next, fresh];
      }
      return next;
    }
    case 'remove':
      return items.filter((item) => item.id !== action.id || isBusy(item));
    case 'clear':
      return items.filter(isBusy);
    case 'start':
      return patch(items, action.id, {
        status: 'uploading',
        loaded: 0,
        sentAt: undefined,
        result: undefined,
        error: undefined,
      });
    case 'progress':
      return patch(items, action.id, { loaded: action.loaded });
    case 'sent':
      return patch(items, action.id, { status: 'processing', sentAt: action.at });
    case 'finished':
      return patch(items, action.id, { status: action.result.ok ? 'done' : 'failed', result: action.result });
    case 'error':
      return patch(items, action.id, { status: 'error', error: action.error });
    case 'cancelled':
      return patch(items, action.id, { status: 'cancelled' });
  }
}
