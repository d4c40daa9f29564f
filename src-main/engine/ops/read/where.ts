/** Builds parameterised WHERE clauses: each given filter adds one condition, values only as parameters. */
export class Where {
  readonly values: unknown[] = []
  private readonly conditions: string[] = []

  /** Adds `condition` with each `?` bound to the next value. */
  add(condition: string, ...values: unknown[]): this {
    let text = condition
    for (const value of values) {
      this.values.push(value)
      text = text.replace('?', `$${this.values.length}`)
    }
    this.conditions.push(text)
    return this
  }

  /** Adds the condition only when the value is given. */
  maybe(condition: string, value: unknown): this {
    return value === undefined || value === null || value === '' ? this : this.add(condition, value)
  }

  /** A parameter placeholder for a value used outside the conditions (e.g. LIMIT). */
  param(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }

  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : ''
  }
}

/** An instant parameter compared with a UTC TIMESTAMP column. */
export const UTC = (column: string, op: '>=' | '<') => `${column} ${op} (?::timestamptz AT TIME ZONE 'UTC')`
