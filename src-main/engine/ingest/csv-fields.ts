/**
 * Splits one CSV record (RFC 4180, relaxed: a quote inside an unquoted value is kept literally, as in
 * `12" RULER`). Returns 'open' when a quoted value is still open at the end of the text (it may continue
 * on the next line) and 'broken' when text follows a closing quote.
 */
export function parseCsvLine(text: string): string[] | 'open' | 'broken' {
  const fields: string[] = []
  const length = text.length
  let i = 0
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = ''
      let from = i + 1
      for (;;) {
        const quote = text.indexOf('"', from)
        if (quote === -1) return 'open'
        if (text.charCodeAt(quote + 1) === 34) {
          value += text.slice(from, quote + 1)
          from = quote + 2
          continue
        }
        value += text.slice(from, quote)
        const after = quote + 1
        if (after === length) {
          fields.push(value)
          return fields
        }
        if (text.charCodeAt(after) !== 44) return 'broken'
        fields.push(value)
        i = after + 1
        break
      }
    } else {
      const comma = text.indexOf(',', i)
      if (comma === -1) {
        fields.push(text.slice(i))
        return fields
      }
      fields.push(text.slice(i, comma))
      i = comma + 1
    }
  }
}
