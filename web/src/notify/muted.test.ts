import { allOn, CHANNELS, cell, KINDS, parseMuted, toMuted, type Matrix } from './muted';

const offCells = (m: Matrix) => Object.entries(m).filter(([, on]) => !on).map(([k]) => k).sort();

describe('muted list ⇄ matrix', () => {
  it('nothing muted is everything on, and back', () => {
    const { matrix, other } = parseMuted([]);
    expect(offCells(matrix)).toEqual([]);
    expect(other).toEqual([]);
    expect(toMuted(matrix)).toEqual([]);
  });

  it('reads single pairs and wildcards', () => {
    const { matrix } = parseMuted(['email:commented', 'wecom_app:*', '*:sla_reminder']);
    expect(matrix['email:commented']).toBe(false);
    expect(matrix['email:sla_reminder']).toBe(false);
    expect(matrix['email:assigned']).toBe(true);
    for (const k of KINDS) expect(matrix[cell('wecom_app', k)]).toBe(false);
  });

  it('writes a whole channel as channel:* and a kind off everywhere as *:kind', () => {
    const m = allOn();
    for (const k of KINDS) m[cell('wecom_app', k)] = false;
    m['email:urged'] = false;
    expect(toMuted(m)).toEqual(['wecom_app:*', 'email:urged']);

    const n = allOn();
    n['email:sla_due'] = false;
    n['wecom_app:sla_due'] = false;
    n['wecom_app:commented'] = false;
    expect(toMuted(n)).toEqual(['wecom_app:commented', '*:sla_due']);
  });

  it('never writes *:* (the server refuses it)', () => {
    const m = allOn();
    for (const c of CHANNELS) for (const k of KINDS) m[cell(c, k)] = false;
    const list = toMuted(m);
    expect(list).toEqual(['email:*', 'wecom_app:*']);
    expect(list).not.toContain('*:*');
  });

  it('keeps entries it cannot show, once', () => {
    const { matrix, other } = parseMuted(['wecom_robot:outcome', 'email:card_update', 'email:assigned', '*:*', 'junk', 'wecom_robot:outcome']);
    expect(offCells(matrix)).toEqual(['email:assigned']);
    expect(other).toEqual(['wecom_robot:outcome', 'email:card_update', '*:*', 'junk']);
    expect(toMuted(matrix, other)).toEqual(['email:assigned', 'wecom_robot:outcome', 'email:card_update', '*:*', 'junk']);
  });

  it('reads the same list however it is spelt', () => {
    const a = parseMuted(['*:urged', 'email:*']).matrix;
    const b = parseMuted(['email:*', 'wecom_app:urged']).matrix;
    expect(a).toEqual(b);
  });

  it('round-trips every matrix', () => {
    const cells = CHANNELS.flatMap((c) => KINDS.map((k) => cell(c, k)));
    expect(cells).toHaveLength(CHANNELS.length * KINDS.length);
    expect(KINDS).toContain('job_failed');
    const bad: string[] = [];
    for (let bits = 0; bits < 1 << cells.length; bits++) {
      const m = allOn();
      cells.forEach((c, i) => { m[c] = !(bits & (1 << i)); });
      const list = toMuted(m);
      const back = parseMuted(list);
      const ok = new Set(list).size === list.length && !list.includes('*:*') && back.other.length === 0
        && cells.every((c) => back.matrix[c] === m[c]);
      if (!ok) bad.push(`${offCells(m).join(',')} -> ${list.join(',')}`);
    }
    expect(bad).toEqual([]);
  });
});
