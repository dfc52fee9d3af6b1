import { describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import '../../i18n/reports';
import { chartOption, hasValues } from './chartOptions';
import { CsvError, fetchCsv } from './download';
import {
  addDays,
  backlogData,
  chartGroups,
  csvUrl,
  cycleData,
  dayCount,
  durationParts,
  filenameFromDisposition,
  filtersFromSearch,
  filtersToSearch,
  formatAverage,
  formatDuration,
  formatRate,
  groupLabel,
  isDay,
  isoWeekKey,
  lastDays,
  periodKeys,
  presetPeriods,
  ratingData,
  readableDepartments,
  reportVariables,
  slaData,
  timeZoneOptions,
  todayIn,
  volumeData,
  type Figures,
  type ReportFilters,
} from './model';

const stats = (median: number | null = null, p90: number | null = null) => ({
  count: median === null ? 0 : 1,
  meanSeconds: median,
  medianSeconds: median,
  p90Seconds: p90,
});

function figures(over: Partial<Figures> = {}): Figures {
  return {
    filed: 0,
    completed: 0,
    approved: 0,
    rejected: 0,
    withdrawn: 0,
    open: 0,
    cycle: stats(),
    response: stats(),
    slaItems: 0,
    slaBreached: 0,
    slaBreachRate: null,
    jobsSucceeded: 0,
    jobsFailed: 0,
    automationSuccessRate: null,
    jobDuration: stats(),
    ratings: 0,
    ratingAverage: null,
    ratingDistribution: [0, 0, 0, 0, 0],
    backlog: [
      { bucket: 'lt_1d', count: 0 },
      { bucket: '1d_3d', count: 0 },
      { bucket: '3d_7d', count: 0 },
      { bucket: '7d_30d', count: 0 },
      { bucket: 'gt_30d', count: 0 },
    ],
    ...over,
  };
}

// 2026-12-04 20:30 UTC: already 2026-12-05 in Shanghai, still the 4th in New York
const NOW = new Date(Date.UTC(2026, 11, 4, 20, 30));

describe('days', () => {
  it('checks and counts days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(isDay(null)).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(dayCount('2026-11-06', '2026-12-05')).toBe(30);
    expect(dayCount('2026-12-05', '2026-12-05')).toBe(1);
    expect(dayCount('2026-12-06', '2026-12-05')).toBe(0);
  });

  it('counts today and the default period in the report time zone', () => {
    expect(todayIn('Asia/Shanghai', NOW)).toBe('2026-12-05');
    expect(todayIn('America/New_York', NOW)).toBe('2026-12-04');
    expect(todayIn('UTC', NOW)).toBe('2026-12-04');
    expect(lastDays('Asia/Shanghai', 30, NOW)).toEqual({ from: '2026-11-06', to: '2026-12-05' });
    const p = presetPeriods('Asia/Shanghai', NOW);
    expect(p.last7).toEqual({ from: '2026-11-29', to: '2026-12-05' });
    expect(p.thisMonth).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(p.lastMonth).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetPeriods('UTC', new Date(Date.UTC(2026, 0, 15))).lastMonth).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('keys ISO weeks like the server', () => {
    expect(isoWeekKey('2026-12-04')).toBe('2026-W49');
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53'); // a Friday: the last week of 2026
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01'); // a Monday in the first week of 2025
    expect(isoWeekKey('2026-03-02')).toBe('2026-W10');
  });

  it('lists the keys of a period', () => {
    expect(periodKeys('2026-11-29', '2026-12-02', 'DAY')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(periodKeys('2026-11-29', '2026-12-14', 'WEEK')).toEqual(['2026-W48', '2026-W49', '2026-W50', '2026-W51']);
    expect(periodKeys('2026-10-31', '2027-01-01', 'MONTH')).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    expect(periodKeys('2026-10-31', '2027-01-01', 'TEMPLATE')).toEqual([]);
    expect(periodKeys('bad', '2027-01-01', 'DAY')).toEqual([]);
  });
});

describe('filters', () => {
  const base: ReportFilters = {
    from: '2026-11-06',
    to: '2026-12-05',
    timeZone: 'Asia/Shanghai',
    templateCode: null,
    departmentId: null,
    groupBy: 'DAY',
  };

  it('reads the URL, with the defaults for what it leaves out', () => {
    expect(filtersFromSearch(new URLSearchParams(''), NOW)).toEqual(base);
    expect(
      filtersFromSearch(new URLSearchParams('from=2026-01-01&to=2026-03-31&timeZone=UTC&templateCode=leave&departmentId=3&groupBy=week'), NOW),
    ).toEqual({ from: '2026-01-01', to: '2026-03-31', timeZone: 'UTC', templateCode: 'leave', departmentId: '3', groupBy: 'WEEK' });
    // an unknown grouping is the default; a bad day goes to the server as it is (which says invalid_date)
    expect(filtersFromSearch(new URLSearchParams('groupBy=year&from=2026-13-01'), NOW)).toMatchObject({ groupBy: 'DAY', from: '2026-13-01' });
    // the default period is counted in the URL's zone
    expect(filtersFromSearch(new URLSearchParams('timeZone=America/New_York'), NOW)).toMatchObject({ from: '2026-11-05', to: '2026-12-04' });
  });

  it('writes only what is not the default, and round-trips', () => {
    expect(filtersToSearch(base, NOW).toString()).toBe('');
    const f: ReportFilters = { ...base, from: '2026-01-01', to: '2026-01-31', templateCode: 'it-access', departmentId: '2', groupBy: 'APPROVER', timeZone: 'Europe/Berlin' };
    const q = filtersToSearch(f, NOW);
    expect(q.toString()).toBe('from=2026-01-01&to=2026-01-31&timeZone=Europe%2FBerlin&templateCode=it-access&departmentId=2&groupBy=approver');
    expect(filtersFromSearch(q, NOW)).toEqual(f);
  });

  it('builds the query variables and the CSV URLs', () => {
    const f: ReportFilters = { ...base, templateCode: 'leave', groupBy: 'MONTH' };
    expect(reportVariables(f)).toEqual({
      from: '2026-11-06',
      to: '2026-12-05',
      timeZone: 'Asia/Shanghai',
      templateCode: 'leave',
      departmentId: null,
      groupBy: 'MONTH',
    });
    expect(csvUrl('report', f)).toBe('/reports/report.csv?from=2026-11-06&to=2026-12-05&timeZone=Asia%2FShanghai&templateCode=leave&groupBy=month');
    expect(csvUrl('tickets', { ...base, departmentId: '3' })).toBe(
      '/reports/tickets.csv?from=2026-11-06&to=2026-12-05&timeZone=Asia%2FShanghai&departmentId=3&groupBy=day',
    );
  });

  it('offers the current zone, Shanghai, the browser’s and the common ones once each', () => {
    const z = timeZoneOptions('Europe/Paris', 'Asia/Shanghai');
    expect(z.slice(0, 3)).toEqual(['Europe/Paris', 'Asia/Shanghai', 'Asia/Hong_Kong']);
    expect(new Set(z).size).toBe(z.length);
    expect(timeZoneOptions('Asia/Shanghai', 'Pacific/Auckland').slice(0, 2)).toEqual(['Asia/Shanghai', 'Pacific/Auckland']);
  });

  it('reads file names from Content-Disposition', () => {
    expect(filenameFromDisposition('attachment; filename="signoff-report-2026-11-06-2026-12-05.csv"', 'x.csv')).toBe('signoff-report-2026-11-06-2026-12-05.csv');
    expect(filenameFromDisposition("attachment; filename=\"a.csv\"; filename*=UTF-8''%E6%8A%A5%E8%A1%A8.csv", 'x.csv')).toBe('报表.csv');
    expect(filenameFromDisposition('attachment; filename=plain.csv', 'x.csv')).toBe('plain.csv');
    expect(filenameFromDisposition('attachment', 'x.csv')).toBe('x.csv');
    expect(filenameFromDisposition(null, 'x.csv')).toBe('x.csv');
  });
});

describe('departments', () => {
  const depts = [
    { id: '1', name: 'Top', parent: null, head: { id: 'z' } },
    { id: '2', name: 'R&D', parent: { id: '1' }, head: { id: 'chen' } },
    { id: '3', name: 'Platform', parent: { id: '2' }, head: { id: 'bob' } },
    { id: '4', name: 'Mobile', parent: { id: '2' }, head: { id: 'liu' } },
    { id: '5', name: 'Finance', parent: { id: '1' }, head: null },
  ];
  const ids = (l: { id: string }[]) => l.map((d) => d.id);
  it('gives a manager the departments they head and those below, an admin all', () => {
    expect(ids(readableDepartments(depts, { id: 'chen', departmentId: '2', admin: false }))).toEqual(['2', '3', '4']);
    expect(ids(readableDepartments(depts, { id: 'bob', departmentId: '3', admin: false }))).toEqual(['3']);
    // heading nothing: their own department and below
    expect(ids(readableDepartments(depts, { id: 'erin', departmentId: '2', admin: false }))).toEqual(['2', '3', '4']);
    expect(ids(readableDepartments(depts, { id: 'nobody', departmentId: null, admin: false }))).toEqual([]);
    expect(ids(readableDepartments(depts, { id: 'admin', departmentId: '5', admin: true }))).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('numbers', () => {
  it('says durations in the unit that reads best', () => {
    expect(durationParts(null)).toBeNull();
    expect(durationParts(0)).toEqual({ n: '0', unit: 'second' });
    expect(durationParts(0.03)).toEqual({ n: '<1', unit: 'second' });
    expect(durationParts(5.87)).toEqual({ n: '6', unit: 'second' });
    expect(durationParts(59.6)).toEqual({ n: '1', unit: 'minute' });
    expect(durationParts(330)).toEqual({ n: '5.5', unit: 'minute' });
    expect(durationParts(3599)).toEqual({ n: '1', unit: 'hour' });
    expect(durationParts(11_520)).toEqual({ n: '3.2', unit: 'hour' });
    expect(durationParts(86_399)).toEqual({ n: '1', unit: 'day' });
    expect(durationParts(3 * 86_400 + 3600 * 6)).toEqual({ n: '3.3', unit: 'day' });
    expect(durationParts(400 * 86_400)).toEqual({ n: '400', unit: 'day' });
  });

  it('formats durations in both languages', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatDuration(11_520, i18n.t)).toBe('3.2 小时');
    expect(formatDuration(45, i18n.t)).toBe('45 秒');
    expect(formatDuration(null, i18n.t)).toBe('—');
    await i18n.changeLanguage('en');
    expect(formatDuration(11_520, i18n.t)).toBe('3.2 h');
    expect(formatDuration(2 * 86_400, i18n.t)).toBe('2 d');
    await i18n.changeLanguage('zh-CN');
  });

  it('formats rates and averages', () => {
    expect(formatRate(0.1234)).toBe('12.3%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(null)).toBe('—');
    expect(formatAverage(4.333)).toBe('4.3');
    expect(formatAverage(5)).toBe('5.0');
    expect(formatAverage(null)).toBe('—');
  });

  it('names the group without a department', () => {
    expect(groupLabel({ key: 'none', label: 'none' }, 'DEPARTMENT', i18n.t)).toBe('（无部门）');
    expect(groupLabel({ key: 'leave', label: '请假 Leave request' }, 'TEMPLATE', i18n.t)).toBe('请假 Leave request');
  });
});

describe('chart data', () => {
  const day = (key: string, f: Partial<Figures>) => ({ key, label: key, figures: figures(f) });

  it('fills the days, weeks or months nothing was filed on', () => {
    const rows = chartGroups([day('2026-12-03', { filed: 2, completed: 1 }), day('2026-12-01', { filed: 1 })], 'DAY', '2026-11-30', '2026-12-03');
    expect(rows.map((r) => r.key)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(volumeData(rows, { filed: 'F', completed: 'C' })).toEqual({
      categories: ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'],
      series: [
        { name: 'F', data: [0, 1, 0, 2] },
        { name: 'C', data: [0, 0, 0, 1] },
      ],
    });
    const weeks = chartGroups([day('2026-W49', { filed: 4 })], 'WEEK', '2026-11-23', '2026-12-06');
    expect(weeks.map((r) => [r.key, r.figures?.filed ?? null])).toEqual([
      ['2026-W48', null],
      ['2026-W49', 4],
    ]);
  });

  it('keeps the server’s groups (and order) otherwise', () => {
    const rows = chartGroups(
      [
        { key: 'leave', label: '请假', figures: figures({ filed: 3 }) },
        { key: 'expense', label: '报销', figures: figures({ filed: 5 }) },
      ],
      'TEMPLATE',
      '2026-11-06',
      '2026-12-05',
    );
    expect(rows.map((r) => r.label)).toEqual(['请假', '报销']);
  });

  it('draws cycle times in one unit, SLA rates in percent', () => {
    const rows = [
      { key: 'a', label: 'A', figures: figures({ cycle: stats(1800, 7200) }) },
      { key: 'b', label: 'B', figures: figures({ cycle: stats(null, null) }) },
      { key: 'c', label: 'C', figures: null },
    ];
    const c = cycleData(rows, { median: 'M', p90: 'P' });
    expect(c.unit).toBe('hour');
    expect(c.series).toEqual([
      { name: 'M', data: [0.5, null, null] },
      { name: 'P', data: [2, null, null] },
    ]);
    const s = slaData(
      [
        { key: 'a', label: 'A', figures: figures({ slaBreachRate: 0.125 }) },
        { key: 'b', label: 'B', figures: figures({ slaBreachRate: 0 }) },
        { key: 'c', label: 'C', figures: figures() },
      ],
      'R',
    );
    expect(s.series[0].data).toEqual([12.5, 0, null]);
    expect(hasValues(s, true)).toBe(true);
    expect(hasValues({ categories: ['x'], series: [{ name: 'n', data: [null] }] }, true)).toBe(false);
  });

  it('shapes the backlog and the rating distribution', () => {
    const f = figures({
      backlog: [
        { bucket: 'gt_30d', count: 1 },
        { bucket: 'lt_1d', count: 4 },
      ],
      ratingDistribution: [0, 1, 0, 2, 7],
    });
    expect(backlogData(f, (b) => b.toUpperCase(), 'N')).toEqual({
      categories: ['LT_1D', '1D_3D', '3D_7D', '7D_30D', 'GT_30D'],
      series: [{ name: 'N', data: [4, 0, 0, 0, 1] }],
    });
    expect(ratingData(f, (n) => `${n}★`, 'R')).toEqual({ categories: ['1★', '2★', '3★', '4★', '5★'], series: [{ name: 'R', data: [0, 1, 0, 2, 7] }] });
    expect(hasValues(ratingData(figures(), String, 'R'))).toBe(false);
  });

  it('builds ECharts options without undefined settings', () => {
    const o = chartOption({ categories: ['a', 'b'], series: [{ name: 'x', data: [1, 2] }] }, { kind: 'bar', integer: true });
    expect(o.legend).toBeUndefined();
    expect(o.yAxis).toEqual({ type: 'value', minInterval: 1 });
    expect(Object.values(o.series![0]).some((v) => v === undefined)).toBe(false);
    expect(o.series![0]).toMatchObject({ type: 'bar', data: [1, 2] });
    const p = chartOption(
      { categories: ['a'], series: [{ name: 'x', data: [10] }, { name: 'y', data: [null] }] },
      { kind: 'line', percent: true },
    );
    expect(p.legend).toEqual({ top: 0, right: 0, data: ['x', 'y'] });
    expect(p.yAxis).toMatchObject({ max: 100, axisLabel: { formatter: '{value}%' } });
    expect(p.tooltip!.valueFormatter(12.5)).toBe('12.5%');
    expect(p.tooltip!.valueFormatter(null)).toBe('—');
  });
});

describe('CSV downloads', () => {
  const session = (tokens: (string | null)[]) => {
    const s = { accessToken: vi.fn(async () => tokens[0]), onUnauthenticated: vi.fn(async () => tokens[1] ?? null) };
    return s;
  };
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('group,key\n')]);

  it('sends the bearer token and keeps the bytes (BOM included) and the server’s file name', async () => {
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer t1');
      return new Response(bom, { status: 200, headers: { 'content-disposition': 'attachment; filename="signoff-report-a-b.csv"' } });
    });
    const r = await fetchCsv('/reports/report.csv?from=a', session(['t1']), 'fallback.csv', fetchImpl as typeof fetch);
    expect(fetchImpl).toHaveBeenCalledWith('/reports/report.csv?from=a', expect.anything());
    expect(r.filename).toBe('signoff-report-a-b.csv');
    expect([...new Uint8Array(await r.blob.arrayBuffer())].slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('refreshes an expired token once', async () => {
    const s = session(['old', 'new']);
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization');
      if (auth === 'Bearer old') return Response.json({ error: { code: 'token_expired', message: 'expired' } }, { status: 401 });
      return new Response(bom, { status: 200 });
    });
    const r = await fetchCsv('/reports/tickets.csv', s, 'fallback.csv', fetchImpl as typeof fetch);
    expect(s.onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(r.filename).toBe('fallback.csv');
  });

  it('reports the server’s error code', async () => {
    const fetchImpl = vi.fn(async () =>
      Response.json({ error: { code: 'outside_your_departments', message: 'you read the figures of your own departments only' } }, { status: 403 }),
    );
    const err = await fetchCsv('/reports/report.csv', session(['t']), 'x.csv', fetchImpl as typeof fetch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).code).toBe('outside_your_departments');
    const html = vi.fn(async () => new Response('<html>', { status: 502, statusText: 'Bad Gateway' }));
    const e2 = (await fetchCsv('/reports/report.csv', session(['t']), 'x.csv', html as typeof fetch).catch((e: unknown) => e)) as CsvError;
    expect(e2.code).toBe('internal');
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const e3 = (await fetchCsv('/reports/report.csv', session(['t']), 'x.csv', down as typeof fetch).catch((e: unknown) => e)) as CsvError;
    expect(e3.code).toBe('network');
    const broken = vi.fn(
      async () =>
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(bom);
              c.error(new Error('connection reset'));
            },
          }),
          { status: 200 },
        ),
    );
    const e4 = (await fetchCsv('/reports/tickets.csv', session(['t']), 'x.csv', broken as typeof fetch).catch((e: unknown) => e)) as CsvError;
    expect(e4.code).toBe('download_incomplete');
  });
});
