import { useCallback, useEffect, useReducer, useRef } from 'react';
import { isApiError } from '../../api/errors';
import { useRefreshReports } from '../../api/reports';
import { UploadAbortedError, uploadReports } from '../../api/upload';
import { isPending, uploadQueueReducer, type UploadItem } from './upload-queue';

/** Two files in flight keep the line busy without making one huge file wait behind all others. */
const CONCURRENCY = 2;

/**
 * The daily-report upload list and its runner. Each file goes in its own request, so each gets
 * its own progress bar and its own all-or-nothing result.
 */
export function useReportUploads() {
  const [items, dispatch] = useReducer(uploadQueueReducer, []);
  const controllers = useRef(new Map<string, AbortController>());
  const refreshReports = useRefreshReports();

  useEffect(() => {
    const inFlight = controllers.current;
    return () => inFlight.forEach((controller) => controller.abort());
  }, []);

  const uploadOne = useCallback(async (item: UploadItem, date: string | undefined) => {
    const controller = new AbortController();
    controllers.current.set(item.id, controller);
    dispatch({ type: 'start', id: item.id });
    try {
      const result = await uploadReports([item.file], date, {
        signal: controller.signal,
        onProgress: ({ loaded }) => dispatch({ type: 'progress', id: item.id, loaded }),
        onSent: () => dispatch({ type: 'sent', id: item.id, at: Date.now() }),
      });
      const file = result.files[0];
      if (file) dispatch({ type: 'finished', id: item.id, result: file });
      else dispatch({ type: 'error', id: item.id, error: new Error('empty response') });
    } catch (error) {
      if (error instanceof UploadAbortedError) dispatch({ type: 'cancelled', id: item.id });
      else if (isApiError(error) && error.files[0])
        dispatch({ type: 'finished', id: item.id, result: error.files[0] });
      else dispatch({ type: 'error', id: item.id, error });
    } finally {
      controllers.current.delete(item.id);
    }
  }, []);

  const start = useCallback(
    async (date: string | undefined) => {
      const queue = items.filter(isPending);
      const worker = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) await uploadOne(item, date);
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
      await refreshReports();
    },
    [items, uploadOne, refreshReports],
  );

  const cancel = useCallback((id: string) => controllers.current.get(id)?.abort(), []);

  return {
    items,
    add: (files: File[]) => dispatch({ type: 'add', files }),
    remove: (id: string) => dispatch({ type: 'remove', id }),
    clear: () => dispatch({ type: 'clear' }),
    start,
    cancel,
  };
}
