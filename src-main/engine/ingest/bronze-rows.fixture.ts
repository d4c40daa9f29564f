/**
 * Bronze as the ingest tests expect it: the row that the sample line
 * `536365,71053,WHITE METAL LANTERN,6,01/12/2010 8:26,3.39,17850.0,United Kingdom` becomes, from a CSV or a workbook.
 */
export const LANTERN_ROW = {
  invoiceno: '536365',
  stockcode: '71053',
  description: 'WHITE METAL LANTERN',
  quantity: 6,
  invoicedate: '2010-12-01T08:26:00.000Z',
  unitprice: '3.39',
  customerid: '17850',
  country: 'United Kingdom',
}
