/**
 * Bounds an .xlsx before exceljs reads it. An xlsx is a zip of XML, and a few MB can inflate to gigabytes:
 * exceljs keeps every shared string in memory and a cell's text whole, so 8M shared strings (3 MB zipped) reached
 * 1.5 GB and one 1 GB cell 711 MB. This pass inflates each part once, in a stream, and refuses the workbook at
 * the first limit passed — so no input makes the reader hold more than a few hundred MB.
 */
import { AssayError } from '../errors.js'
import { partStream, zipEntries } from './zip-parts.js'

export const XLSX_LIMITS = {
  /** All parts together, inflated (the 541,909-line Online Retail workbook is ~200 MB). */
  inflatedBytes: 1024 * 1024 * 1024,
  /** Shared strings, the part exceljs keeps in memory whole (the data set has ~35,000). */
  sharedStrings: 500_000,
  sharedStringsBytes: 32 * 1024 * 1024,
  /** Text between two XML tags: Excel's own cell limit is 32,767 characters (at most 128 KiB of UTF-8). */
  textRunBytes: 256 * 1024,
} as const

const MiB = (n: number) => `${Math.round(n / 1024 / 1024).toLocaleString('en')} MB`

/** Refuses a workbook that inflates past {@link XLSX_LIMITS}; reads it once, in bounded memory. */
export async function checkXlsxBounds(path: string, name: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new AssayError('xlsx_too_big', `${name} is refused: ${why}; nothing was written`)
  }
  let total = 0
  for (const entry of await zipEntries(path)) {
    // Every part the reader parses: XML, and the relationships (XML too, named .rels).
    if (!entry.name.endsWith('.xml') && !entry.name.endsWith('.rels')) continue
    const shared = entry.name === 'xl/sharedStrings.xml'
    let strings = 0
    let run = 0
    let entryBytes = 0
    const source = partStream(path, entry)
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        total += chunk.length
        entryBytes += chunk.length
        if (total > XLSX_LIMITS.inflatedBytes) {
          source.destroy()
          refuse(`it inflates to more than ${MiB(XLSX_LIMITS.inflatedBytes)} (the limit)`)
        }
        if (shared && entryBytes > XLSX_LIMITS.sharedStringsBytes) {
          source.destroy()
          refuse(`its shared strings take more than ${MiB(XLSX_LIMITS.sharedStringsBytes)} (the limit)`)
        }
        for (let i = 0; i < chunk.length; i++) {
          const byte = chunk[i]!
          if (byte === 0x3c) {
            run = 0
            // `<si>` or `<si ` opens a shared string.
            if (
              shared &&
              chunk[i + 1] === 0x73 &&
              chunk[i + 2] === 0x69 &&
              (chunk[i + 3] === 0x3e || chunk[i + 3] === 0x20)
            ) {
              if (++strings > XLSX_LIMITS.sharedStrings) {
                source.destroy()
                refuse(
                  `it has more than ${XLSX_LIMITS.sharedStrings.toLocaleString('en')} shared strings (the limit)`,
                )
              }
            }
          } else if (++run > XLSX_LIMITS.textRunBytes) {
            source.destroy()
            refuse(
              `a cell or value in ${entry.name} holds more than ${XLSX_LIMITS.textRunBytes / 1024} KB of text (the limit; Excel's own is 32,767 characters)`,
            )
          }
        }
      }
    } catch (error) {
      if (error instanceof AssayError) throw error
      return // a part that does not inflate: the reader says the workbook is corrupt
    } finally {
      source.destroy()
    }
  }
}
