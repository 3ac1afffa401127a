// Turns OpenMetrics text into TSDB blocks with the real promtool, as an operator backfilling history would.
import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './child-process';

const PROMTOOL = '/usr/bin/promtool';

/** What the import left in the data directory, read back from the blocks' meta.json. */
export interface ImportedBlocks {
  count: number;
  /** Milliseconds of the newest sample, or undefined when the input had none. */
  lastSampleMs: number | undefined;
}

interface BlockMeta {
  maxTime: number;
}

/**
 * Imports each text in turn into `dataDir`. Blocks are cut at 2 h boundaries of the Unix epoch (promtool
 * 2.42 has no flag to change that), so a UTC day falls into 12 blocks and a day boundary is a block boundary.
 * Separate texts may cover the same hours: Prometheus 2.42 merges overlapping blocks at query time.
 */
export async function importOpenMetrics(
  texts: string[],
  workDir: string,
  dataDir: string,
): Promise<ImportedBlocks> {
  await fs.mkdir(dataDir, { recursive: true });
  for (const [index, text] of texts.entries()) {
    const file = path.join(workDir, `import-${index}.om`);
    await fs.writeFile(file, text);
    await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir]);
    // The blocks hold the data now; a benchmark's text can be large, so it does not stay on disk twice.
    await fs.rm(file);
  }
  const metas = await Promise.all(
    (await fs.readdir(dataDir)).map(async (entry): Promise<BlockMeta> => {
      const text = await fs.readFile(path.join(dataDir, entry, 'meta.json'), 'utf8');
      return JSON.parse(text) as BlockMeta;
    }),
  );
  return {
    count: metas.length,
    // A block's maxTime is exclusive: one millisecond past its last sample.
    lastSampleMs: metas.length === 0 ? undefined : Math.max(...metas.map((m) => m.maxTime)) - 1,
  };
}
