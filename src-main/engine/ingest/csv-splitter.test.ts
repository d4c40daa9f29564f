import { describe, expect, it } from 'vitest'
import { CsvSplitter } from './csv-splitter.js'
import type { Rejection } from './types.js'
import { MAX_LINE } from './types.js'

function split(input: Buffer | string, chunkSize = 1 << 20, width = 3) {
  const records: [number, string[]][] = []
  const rejects: Rejection[] = []
  let blanks = 0
  const splitter = new CsvSplitter(width, {
    record: (line, fields) => records.push([line, fields]),
    reject: (r) => rejects.push(r),
    blank: () => blanks++,
  })
  const bytes = typeof input === 'string' ? Buffer.from(input) : input
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize))
  splitter.end()
  return { records, rejects: rejects.map((r) => [r.line, r.kind] as const), blanks }
}

describe('CsvSplitter', () => {
  const text = '\uFEFFa,b,c\r\n1,2,3\r\n"x, y","multi\nline",z\r\n\r\n4,5,6'

  it('keeps physical line numbers whatever the chunking (even byte by byte)', () => {
    const whole = split(text)
    expect(whole.records).toEqual([
      [2, ['1', '2', '3']],
      [3, ['x, y', 'multi\nline', 'z']],
      [6, ['4', '5', '6']],
    ])
    expect(whole.blanks).toBe(1)
    expect(split(text, 1)).toEqual(whole)
    expect(split(text, 7)).toEqual(whole)
  })

  it('rejects only the line with a stray quote and reads on', () => {
    const out = split('h,h,h\n1,"broken,3\n4,5,6\n7,8,9\n')
    expect(out.rejects).toEqual([[2, 'broken_quoting']])
    expect(out.records.map(([line]) => line)).toEqual([3, 4])
  })

  it('rejects a stray quote that swallows quoted lines after it', () => {
    const out = split('h,h,h\n1,"broken,3\n"4",5,6\n7,8,"9"\n')
    expect(out.rejects[0]).toEqual([2, 'broken_quoting'])
    expect(out.records.map(([line]) => line)).toEqual([3, 4])
  })

  it('rejects wrong field counts, invalid UTF-8 and NUL bytes line by line', () => {
    const bytes = Buffer.concat([
      Buffer.from('h,h,h\n1,2\n'),
      Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x2c, 0x63, 0x0a]),
      Buffer.from('a,\u0000,c\n7,8,9\n'),
    ])
    expect(split(bytes, 5).rejects).toEqual([
      [2, 'field_count'],
      [3, 'invalid_utf8'],
      [4, 'nul_byte'],
    ])
    expect(split(bytes).records).toEqual([[5, ['7', '8', '9']]])
  })

  it('skips an over-long line without buffering it', () => {
    const long = 'x'.repeat(MAX_LINE * 3)
    const out = split(`h,h,h\n1,2,3\n${long}\n4,5,6\n`, 4096)
    expect(out.rejects).toEqual([[3, 'line_too_long']])
    expect(out.records.map(([line]) => line)).toEqual([2, 4])
  })
})
