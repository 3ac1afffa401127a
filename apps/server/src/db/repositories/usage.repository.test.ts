import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRuntime, testDialects } from '../../../test/helpers/test-runtime';
import type { TestRuntime } from '../../../test/helpers/test-runtime';
import { KyselyUsageRepository } from './usage.repository';

const row = (namespace: string, cpuCores = 1) => ({
  cluster: null,
  namespace,
  project: 'p',
  cpuCores,
  memoryBytes: 0,
});

describe.each(testDialects())('usage repository on %s', (dialect) => {
  let rt: TestRuntime;
  let repo: KyselyUsageRepository;
  beforeEach(async () => {
    rt = await createTestRuntime(dialect);
    repo = new KyselyUsageRepository(rt.database, rt.clock);
  });
  afterEach(async () => {
    await rt.dispose();
  });

  const storedRows = async () =>
    Number(
      (
        await rt.database.db
          .selectFrom('namespace_usage')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const batches = async () =>
    rt.database.db.selectFrom('usage_batches').select(['origin', 'status']).orderBy('id').execute();

  it('keeps a loading batch invisible and deletes the rows of the batch it replaced', async () => {
    const first = await repo.beginBatch({ date: '2026-11-20', source: 'upload', origin: 'a.txt' });
    await first.append([row('n1'), row('n2')]);
    expect(await repo.projectTotals('2026-11-20')).toEqual([]);
    expect(await first.commit({ lineCount: 2 })).toEqual({ replaced: false });
    expect(await repo.projectTotals('2026-11-20')).toEqual([
      { project: 'p', source: 'upload', cpuCores: 2, memoryBytes: 0, namespaceCount: 2 },
    ]);

    const second = await repo.beginBatch({ date: '2026-11-20', source: 'upload', origin: 'a.txt' });
    await second.append([row('n3', 5)]);
    expect(await second.commit({ lineCount: 1 })).toEqual({ replaced: true });
    expect(await storedRows()).toBe(3);
    expect(await repo.purgeRetired()).toBe(2);
    expect(await storedRows()).toBe(1);
    expect(await batches()).toEqual([{ origin: 'a.txt', status: 'active' }]);
    expect(await repo.projectTotals('2026-11-20')).toEqual([
      { project: 'p', source: 'upload', cpuCores: 5, memoryBytes: 0, namespaceCount: 1 },
    ]);
  });

  it('purges a batch left loading by a dead process only after six hours', async () => {
    const orphan = await repo.beginBatch({ date: '2026-11-20', source: 'upload', origin: 'crash.txt' });
    await orphan.append(Array.from({ length: 6000 }, (_, i) => row(`n${i}`)));
    expect(await repo.purgeRetired()).toBe(0);
    rt.clock.advance(6 * 60 * 60 * 1000 + 1);
    expect(await repo.purgeRetired()).toBe(6000);
    expect(await batches()).toEqual([]);
  });

  it('writes rows in chunks whatever size the appends come in', async () => {
    const batch = await repo.beginBatch({ date: '2026-11-21', source: 'upload', origin: 'b.txt' });
    for (const size of [1, 999, 1, 2500, 0, 3])
      await batch.append(Array.from({ length: size }, (_, i) => row(`n${size}-${i}`)));
    await batch.commit({ lineCount: 3504 });
    expect(await storedRows()).toBe(3504);
    expect((await repo.listDates())[0]).toMatchObject({
      date: '2026-11-21',
      recordCount: 3504,
      projectCount: 1,
      files: ['b.txt'],
    });
  });
});
