// Offsets and LSNs as the Electric protocol writes them: what a client may hand back, and
// nothing else, parses; order follows the log.
import { describe, expect, it } from 'vitest';
import {
  BEFORE_ALL,
  compareOffsets,
  formatLsn,
  formatOffset,
  type LogOffset,
  maxOffset,
  parseLsn,
  parseOffset,
  SNAPSHOT_END,
} from './offset.ts';

describe('parseOffset', () => {
  it.each<[string, LogOffset | 'now']>([
    ['-1', BEFORE_ALL],
    ['now', 'now'],
    ['0_0', { lsn: 0n, op: 0 }],
    ['0_7', { lsn: 0n, op: 7 }],
    ['0_inf', SNAPSHOT_END],
    ['123_4', { lsn: 123n, op: 4 }],
    ['5_inf', { lsn: 5n, op: Number.POSITIVE_INFINITY }],
    ['18446744073709551615_0', { lsn: 0xffff_ffff_ffff_ffffn, op: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseOffset(text)).toEqual(expected);
  });

  it.each([
    '',
    '-2',
    '0',
    '_1',
    '1_',
    '01_0',
    '1_01',
    '1_-1',
    '1.5_0',
    '1e3_0',
    ' 1_0',
    '1_0 ',
    '1_0_0',
    '0x10_0',
    'NOW',
    'inf_0',
    '18446744073709551616_0',
    '123456789012345678901_0',
    '1_12345678901234567',
  ])('refuses %j', (text) => {
    expect(parseOffset(text)).toBeNull();
  });

  it.each(['-1', '0_0', '0_inf', '123_4', '5_inf'])('writes %s back as it was read', (text) => {
    const offset = parseOffset(text);
    if (offset === null || offset === 'now') throw new Error(`not an offset: ${text}`);
    expect(formatOffset(offset)).toBe(text);
  });
});

describe('order', () => {
  const inOrder = ['-1', '0_0', '0_3', '0_inf', '1_0', '1_2', '1_inf', '2_0'].map(
    (t) => parseOffset(t) as LogOffset,
  );

  it('puts before-all, the snapshot chunks, the snapshot end and the log in that order', () => {
    for (let i = 0; i < inOrder.length; i++) {
      for (let j = 0; j < inOrder.length; j++) {
        expect(Math.sign(compareOffsets(inOrder[i] as LogOffset, inOrder[j] as LogOffset))).toBe(
          Math.sign(i - j),
        );
      }
    }
  });

  it('takes the later of two', () => {
    expect(maxOffset(SNAPSHOT_END, { lsn: 1n, op: 0 })).toEqual({ lsn: 1n, op: 0 });
    expect(maxOffset({ lsn: 3n, op: 1 }, { lsn: 3n, op: 0 })).toEqual({ lsn: 3n, op: 1 });
  });
});

describe('LSNs', () => {
  it.each([
    ['16/B374D848', (0x16n << 32n) | 0xb374d848n],
    ['16/b374d848', (0x16n << 32n) | 0xb374d848n],
    ['0/0', 0n],
    ['00000001/0000000A', (1n << 32n) | 10n],
    ['FFFFFFFF/FFFFFFFF', 0xffff_ffff_ffff_ffffn],
  ])('reads %s', (text, value) => {
    expect(parseLsn(text)).toBe(value);
  });

  it('writes them as Postgres does', () => {
    expect(formatLsn((0x16n << 32n) | 0xb374d848n)).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
  });

  it('refuses a value with no slash, naming it', () => {
    expect(() => parseLsn('16B374D848')).toThrow('Not an LSN: "16B374D848"');
  });
});
