import { HOUR_WEIGHTS, type TradingDay, tradingDays } from './calendar.js'
import { COUNTRIES, countryWeights, makeCustomers, makeProducts, type Product } from './catalog.js'
import { Random, Weighted, zipfWeights } from './prng.js'

/** What scale 1 means: the size of the real Online Retail data set. */
export const SCALE_ONE = { lines: 540_000, invoices: 25_900, products: 4_000, customers: 4_300 }

export interface DemoLine {
  code: string
  description: string
  quantity: number
  /** Unit price in pence (integers keep the output byte-identical everywhere). */
  pence: number
}

export interface DemoInvoice {
  invoiceNo: string
  /** 'YYYY-MM-DD HH:MM:00'. */
  date: string
  customer: string | null
  country: string
  lines: DemoLine[]
}

export interface DemoPlan {
  lines: number
  invoices: number
  products: number
  customers: number
}

export function planDemo(scale: number): DemoPlan {
  const invoices = Math.max(13, Math.round(SCALE_ONE.invoices * scale))
  return {
    invoices,
    lines: Math.max(invoices * 3, Math.round(SCALE_ONE.lines * scale)),
    products: Math.max(20, Math.round(SCALE_ONE.products * scale)),
    customers: Math.max(10, Math.round(SCALE_ONE.customers * scale)),
  }
}

interface Header {
  day: number
  minute: number
  cancel: boolean
  country: number
  customer: string | null
  size: number
}

const CANCEL_SHARE = 0.02
const GUEST_SHARE = 0.25
/** exp(mu + sigma²/2) ≈ 21 lines per invoice, as in the real data. */
const SIZE_MU = 2.554
const MAX_SIZE = 600
const FORCE_COUNTRIES_FROM = 2000

/** Invoice headers in time order: day (seasonal), time, cancellation, customer or guest, country, size. */
function makeHeaders(random: Random, plan: DemoPlan, days: TradingDay[], dayWeights: Weighted): Header[] {
  const catalogRandom = random.fork(11)
  const withCustomer = countryWeights(0.897)
  const pools = makeCustomers(catalogRandom, plan.customers, withCustomer)
  const poolWeights = pools.map((pool) => new Weighted(zipfWeights(pool.length, 0.5, 5)))
  const customerCountry = new Weighted(withCustomer)
  const guestCountry = new Weighted(countryWeights(0.95))
  const byMonth: number[][] = Array.from({ length: 13 }, () => [])
  for (const [i, day] of days.entries()) byMonth[day.monthIndex]!.push(i)

  const headers: Header[] = []
  for (let i = 0; i < plan.invoices; i++) {
    // The first 13 invoices cover one month each, so every scale has all 13 months.
    const day = i < 13 ? random.pick(byMonth[i]!) : dayWeights.sample(random)
    const hour = days[day]!.weekday === 0 ? random.int(10, 15) : HOUR_WEIGHTS.sample(random)
    // From a few thousand invoices on, the next 37 go one to each foreign country, so all 38 appear.
    const forced = plan.invoices >= FORCE_COUNTRIES_FROM && i >= 13 && i < 13 + COUNTRIES.length - 1
    const cancel = !forced && random.chance(CANCEL_SHARE)
    const guest = !forced && !cancel && random.chance(GUEST_SHARE)
    let country = guest ? guestCountry.sample(random) : customerCountry.sample(random)
    if (forced) country = i - 12
    const pool = pools[country]!
    const customer = guest ? null : pool[poolWeights[country]!.sample(random)]!
    const size = cancel
      ? 1 + Math.floor(-Math.log(1 - random.next()) * 1.5)
      : Math.min(MAX_SIZE, Math.max(1, Math.round(Math.exp(SIZE_MU + random.normal()))))
    headers.push({ day, minute: hour * 60 + random.int(0, 59), cancel, country, customer, size })
  }
  fitTotal(random, headers, plan.lines)
  return headers.sort((a, b) => a.day - b.day || a.minute - b.minute)
}

/** Nudges invoice sizes until the line count is exactly the plan's. */
function fitTotal(random: Random, headers: Header[], target: number): void {
  const regular = headers.filter((h) => !h.cancel)
  let diff = target - headers.reduce((sum, h) => sum + h.size, 0)
  while (diff !== 0 && regular.length > 0) {
    const h = random.pick(regular)
    if (diff > 0 && h.size < MAX_SIZE) {
      h.size++
      diff--
    } else if (diff < 0 && h.size > 1) {
      h.size--
      diff++
    }
  }
}

const QUANTITIES = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 25, 36, 48, 72, 96, 100, 144, 200, 480]
const QUANTITY_WEIGHTS = new Weighted([10, 12, 6, 5, 2, 8, 3, 4, 14, 2, 2, 6, 3, 1, 2, 1, 1, 1, 1, 0.3, 0.1])

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/**
 * The demo data set, invoice by invoice in time order. Deterministic in (scale, seed): catalog, customers,
 * headers and lines each draw from their own fork of the seed.
 */
export function* demoInvoices(scale: number, seed: number): Generator<DemoInvoice> {
  const root = new Random(seed)
  const plan = planDemo(scale)
  const { products, popularity } = makeProducts(root.fork(1), plan.products)
  const { days, weights } = tradingDays()
  const headers = makeHeaders(root.fork(2), plan, days, weights)
  const random = root.fork(3)
  let number = 536365
  for (const h of headers) {
    const no = number++
    const day = days[h.day]!
    const lines: DemoLine[] = []
    for (let j = 0; j < h.size; j++) {
      const last = j === h.size - 1 && h.size > 1
      lines.push(line(random, h, last, products, popularity))
    }
    yield {
      invoiceNo: h.cancel ? `C${no}` : String(no),
      date: `${day.iso} ${two(Math.floor(h.minute / 60))}:${two(h.minute % 60)}:00`,
      customer: h.customer,
      country: COUNTRIES[h.country]!,
      lines,
    }
  }
}

function line(random: Random, h: Header, last: boolean, products: Product[], popularity: Weighted): DemoLine {
  const country = COUNTRIES[h.country]!
  const sign = h.cancel ? -1 : 1
  if (last) {
    if (h.country !== 0 && h.customer && random.chance(0.7)) {
      return { code: 'POST', description: 'POSTAGE', quantity: sign * random.int(1, 3), pence: 1800 }
    }
    if (country === 'EIRE' && random.chance(0.3)) {
      return { code: 'C2', description: 'CARRIAGE', quantity: sign, pence: 5000 }
    }
    if (!h.customer && h.country === 0 && random.chance(0.15)) {
      return { code: 'DOT', description: 'DOTCOM POSTAGE', quantity: 1, pence: random.int(2000, 90000) }
    }
  }
  const special = random.next()
  if (special < (h.cancel ? 0.02 : 0.0005)) {
    return { code: 'M', description: 'Manual', quantity: sign, pence: random.int(50, 30000) }
  }
  if (special > 0.99995) {
    return random.chance(0.5)
      ? { code: 'BANK CHARGES', description: 'Bank Charges', quantity: sign, pence: 1500 }
      : { code: 'AMAZONFEE', description: 'AMAZON FEE', quantity: sign, pence: random.int(100, 999_900) }
  }
  const product = products[popularity.sample(random)]!
  const quantity = sign * QUANTITIES[QUANTITY_WEIGHTS.sample(random)]!
  if (!h.customer && random.chance(0.008)) {
    return { code: product.code, description: 'Unknown', quantity, pence: 0 }
  }
  const description = product.variant && random.chance(0.3) ? product.variant : product.description
  const r = random.next()
  let pence = product.pence
  if (r < 0.001) pence = 0
  else if (r < 0.08 && quantity >= 12) pence = Math.round(pence * 0.85)
  else if (r < 0.095) pence = Math.round(pence * 1.2)
  return { code: product.code, description, quantity, pence }
}
