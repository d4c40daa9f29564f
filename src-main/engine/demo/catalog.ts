import { type Random, Weighted, zipfWeights } from './prng.js'

/** Countries other than the UK with their relative share of lines, after the real data set. */
const FOREIGN: [string, number][] = [
  ['Germany', 1.75],
  ['France', 1.6],
  ['EIRE', 1.5],
  ['Spain', 0.47],
  ['Netherlands', 0.44],
  ['Belgium', 0.38],
  ['Switzerland', 0.37],
  ['Portugal', 0.28],
  ['Australia', 0.23],
  ['Norway', 0.2],
  ['Italy', 0.15],
  ['Channel Islands', 0.14],
  ['Finland', 0.13],
  ['Cyprus', 0.11],
  ['Sweden', 0.09],
  ['Unspecified', 0.08],
  ['Austria', 0.074],
  ['Denmark', 0.072],
  ['Japan', 0.066],
  ['Poland', 0.063],
  ['Israel', 0.055],
  ['USA', 0.054],
  ['Hong Kong', 0.053],
  ['Singapore', 0.042],
  ['Iceland', 0.034],
  ['Canada', 0.028],
  ['Greece', 0.027],
  ['Malta', 0.024],
  ['United Arab Emirates', 0.013],
  ['European Community', 0.011],
  ['RSA', 0.011],
  ['Lebanon', 0.008],
  ['Lithuania', 0.007],
  ['Brazil', 0.006],
  ['Czech Republic', 0.006],
  ['Bahrain', 0.004],
  ['Saudi Arabia', 0.002],
]

export const UK = 'United Kingdom'
/** 38 countries, the UK first. */
export const COUNTRIES: string[] = [UK, ...FOREIGN.map(([name]) => name)]

/** Country weights for invoices with a customer: guests are nearly all UK, so these carry a little less UK. */
export function countryWeights(ukShare: number): number[] {
  const foreign = FOREIGN.reduce((sum, [, w]) => sum + w, 0)
  return [ukShare, ...FOREIGN.map(([, w]) => ((1 - ukShare) * w) / foreign)]
}

export interface Product {
  code: string
  description: string
  /** A second description some lines carry (the real data has such variants). */
  variant?: string
  pence: number
}

const ADJECTIVES = [
  'VINTAGE',
  'RETRO',
  'SET OF 3',
  'PACK OF 12',
  'SMALL',
  'LARGE',
  'JUMBO',
  'MINI',
  'SWEETHEART',
  'REGENCY',
  'FRENCH',
  'WOODEN',
  'GLASS',
  'ENAMEL',
  'CERAMIC',
  'PAPER',
  'CHRISTMAS',
  'PARTY',
  'PANTRY',
  'GARDEN',
]
const COLOURS = [
  'WHITE',
  'RED',
  'PINK',
  'BLUE',
  'GREEN',
  'IVORY',
  'BLACK',
  'CREAM',
  'SILVER',
  'GOLD',
  'PASTEL',
  'SPOTTY',
  'STRIPED',
  'FLORAL',
  'POLKADOT',
]
const NOUNS = [
  'HANGING HEART T-LIGHT HOLDER',
  'METAL LANTERN',
  'CAKE CASES',
  'LUNCH BAG',
  'JAM MAKING SET',
  'ALARM CLOCK',
  'TEA CUP AND SAUCER',
  'BUNTING',
  'HOT WATER BOTTLE',
  'DOORMAT',
  'PHOTO FRAME',
  'STORAGE TIN',
  'CANDLE',
  'CHOPSTICKS',
  'NAPKINS',
  'WRAP',
  'SHOPPER BAG',
  'MUG',
  'CUSHION COVER',
  'PICNIC BASKET',
  'BAKING SET',
  'DOLLY GIRL BEAKER',
  'JEWELLERY BOX',
  'WALL CLOCK',
  'PARASOL',
]
const PRICES = [
  19, 29, 39, 42, 55, 65, 72, 83, 85, 125, 145, 165, 169, 195, 210, 246, 255, 295, 325, 375, 425, 495, 595,
  675, 795, 850, 995, 1275, 1495, 1695, 1800,
]
const PRICE_WEIGHTS = PRICES.map((p) => 1 / Math.sqrt(p))

/** The regular catalog: `n` distinct stock codes (5 digits, some with a letter suffix), skewed popularity. */
export function makeProducts(random: Random, n: number): { products: Product[]; popularity: Weighted } {
  const codes = new Set<string>()
  const products: Product[] = []
  const price = new Weighted(PRICE_WEIGHTS)
  while (products.length < n) {
    const digits = String(random.int(10002, 90214))
    const code = random.chance(0.12) ? digits + 'ABCDEFG'[random.int(0, 6)] : digits
    if (codes.has(code)) continue
    codes.add(code)
    const noun = random.pick(NOUNS)
    const description = `${random.pick(ADJECTIVES)} ${random.pick(COLOURS)} ${noun}`
    const variant = random.chance(0.03) ? `${random.pick(COLOURS)} ${noun}` : undefined
    products.push({ code, description, variant, pence: PRICES[price.sample(random)]! })
  }
  return { products, popularity: new Weighted(zipfWeights(n)) }
}

/** Customer ids (as in the real data, 12346–18287 at scale 1, wider beyond) grouped by country. */
export function makeCustomers(random: Random, n: number, weights: number[]): string[][] {
  const perCountry = weights.map((w, i) => (i === 0 ? 0 : Math.max(1, Math.round(n * w))))
  perCountry[0] = Math.max(1, n - perCountry.reduce((a, b) => a + b, 0))
  const ids = new Set<number>()
  const span = Math.max(6000, Math.ceil(n * 1.4))
  return perCountry.map((count) => {
    const pool: string[] = []
    while (pool.length < count) {
      const id = 12346 + random.int(0, span)
      if (ids.has(id)) continue
      ids.add(id)
      pool.push(String(id))
    }
    return pool
  })
}
