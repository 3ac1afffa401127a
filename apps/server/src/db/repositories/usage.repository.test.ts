import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRuntime, testDialects } from '../../../test/helpers/test-runtime';
import type { TestRuntime } from '../../../test/helpers/test-runtime';
import { KyselyUsageRepository } from './usage.repository';

const row = (namespace: string, cpuCores = 1, project = 'p') => ({
  cluster: null,
  namespace,
  project,
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
    // more than one flush (5,000 rows), so the rows are really in namespace_usage while invisible
    await first.append(Array.from({ length: 6000 }, (_, i) => row(`n${i}`)));
    expect(await storedRows()).toBe(6000);
    expect(await repo.projectTotals('2026-11-20')).toEqual([]);
    expect(await repo.listDates()).toEqual([]);
    expect(await first.commit({ lineCount: 6000 })).toEqual({ replaced: false });
    expect(await repo.projectTotals('2026-11-20')).toEqual([
      { project: 'p', source: 'upload', cpuCores: 6000, memoryBytes: 0, namespaceCount: 6000 },
    ]);

    const second = await repo.beginBatch({ date: '2026-11-20', source: 'upload', origin: 'a.txt' });
    await second.append([row('n3', 5)]);
    expect(await second.commit({ lineCount: 1 })).toEqual({ replaced: true });
    expect(await storedRows()).toBe(6001);
    expect(await repo.purgeRetired()).toBe(6000);
    expect(await storedRows()).toBe(1);
    expect(await batches()).toEqual([{ origin: 'a.txt', status: 'active' }]);
    expect(await repo.projectTotals('2026-11-20')).toEqual([
      { project: 'p', source: 'upload', cpuCores: 5, memoryBytes: 0, namespaceCount: 1 },
    ]);
  });

  it('totals each project per source from its committed batches, and purges totals with the batch', async () => {
    const a = await repo.beginBatch({ date: '2026-11-20', source: 'upload', origin: 'a.txt' });
    // shop twice in one file is one namespace; shop again in b.txt comes from another file
    await a.append([row('shop', 1.5), row('shop', 0.25), row('shop-b', 2), row('pay', 4, 'payments')]);
    await a.commit({ lineCount: 4 });
    const b = await repo.beginBatch({ date: '2026-11-20', source: 'upload', origin: 'b.txt' });
    await b.append([row('shop', 1)]);
    await b.commit({ lineCount: 1 });
    const prom = await repo.beginBatch({
      date: '2026-11-20',
      source: 'prometheus',
      origin: 'prom',
      sourceId: 1,
      cluster: 'prod',
    });
    await prom.append([row('shop', 0.5)]);
    await prom.commit({ lineCount: 1 });

    const byProject = (totals: Awaited<ReturnType<typeof repo.projectTotals>>) =>
      [...totals].sort((x, y) => `${x.project}/${x.source}`.localeCompare(`${y.project}/${y.source}`));
    expect(byProject(await repo.projectTotals('2026-11-20'))).toEqual([
      { project: 'p', source: 'prometheus', cpuCores: 0.5, memoryBytes: 0, namespaceCount: 1 },
      // a.txt 1.5 + 0.25 + 2, b.txt 1; namespaces: shop, shop-b of a.txt and shop of b.txt
      { project: 'p', source: 'upload', cpuCores: 4.75, memoryBytes: 0, namespaceCount: 3 },
      { project: 'payments', source: 'upload', cpuCores: 4, memoryBytes: 0, namespaceCount: 1 },
    ]);

    await repo.deleteUploads('2026-11-20', 'a.txt');
    expect(byProject(await repo.projectTotals('2026-11-20'))).toEqual([
      { project: 'p', source: 'prometheus', cpuCores: 0.5, memoryBytes: 0, namespaceCount: 1 },
      { project: 'p', source: 'upload', cpuCores: 1, memoryBytes: 0, namespaceCount: 1 },
    ]);
    expect(await repo.purgeRetired()).toBe(4);
    const { n } = await rt.database.db
      .selectFrom('project_usage')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // p of b.txt, p of prom
    expect(Number(n)).toBe(2);
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

  it('counts both files of a date when they commit at the same time', async () => {
    const dates = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05'];
    const writers = [];
    for (const date of dates) {
      const a = await repo.beginBatch({ date, source: 'upload', origin: 'a.txt' });
      await a.append([row('a1', 1, 'pa'), row('a2', 1, 'pa'), row('a3', 1, 'pa')]);
      const b = await repo.beginBatch({ date, source: 'upload', origin: 'b.txt' });
      await b.append([row('b1', 1, 'pb'), row('b2', 1, 'pb'), row('b3', 1, 'pb'), row('b4', 1, 'pb')]);
      writers.push({ writer: a, lineCount: 3 }, { writer: b, lineCount: 4 });
    }
    const results = await Promise.all(writers.map(({ writer, lineCount }) => writer.commit({ lineCount })));
    expect(results.every((r) => r.replaced === false)).toBe(true);
    // every date: 3 rows of a.txt (project pa) + 4 rows of b.txt (project pb)
    expect(
      (await repo.listDates()).map((d) => [d.date, d.recordCount, d.projectCount, d.files]).reverse(),
    ).toEqual(dates.map((date) => [date, 7, 2, ['a.txt', 'b.txt']]));
  });

  it('lets one of two simultaneous commits of the same file replace the other, without an error', async () => {
    const date = '2026-11-06';
    const three = await repo.beginBatch({ date, source: 'upload', origin: 'a.txt' });
    await three.append([row('n1'), row('n2'), row('n3')]);
    const four = await repo.beginBatch({ date, source: 'upload', origin: 'a.txt' });
    await four.append([row('n1'), row('n2'), row('n3'), row('n4')]);
    const [first, second] = await Promise.all([
      three.commit({ lineCount: 3 }),
      four.commit({ lineCount: 4 }),
    ]);
    // whichever committed second replaced the other
    expect([first.replaced, second.replaced].sort()).toEqual([false, true]);
    const active = await rt.database.db
      .selectFrom('usage_batches')
      .select('row_count')
      .where('status', '=', 'active')
      .execute();
    expect(active).toHaveLength(1);
    const winnerRows = Number(active[0]!.row_count);
    expect([3, 4]).toContain(winnerRows);
    expect(second.replaced).toBe(winnerRows === 4);
    const [summary] = await repo.listDates();
    expect(summary).toMatchObject({ date, recordCount: winnerRows, files: ['a.txt'] });
    expect(await repo.projectTotals(date)).toEqual([
      { project: 'p', source: 'upload', cpuCores: winnerRows, memoryBytes: 0, namespaceCount: winnerRows },
    ]);
  });
});
