/**
 * The SQLSTATE codes Assay treats specially, by their PostgreSQL names (Appendix A of the PostgreSQL manual).
 * Classes are the first two characters: '08' connection exception, '40' transaction rollback, '53' insufficient
 * resources, '57' operator intervention.
 */
export const SQLSTATE = {
  connectionException: '08000',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  diskFull: '53100',
  outOfMemory: '53200',
  tooManyConnections: '53300',
  objectNotInPrerequisiteState: '55000',
  lockNotAvailable: '55P03',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
  divisionByZero: '22012',
  numericValueOutOfRange: '22003',
  insufficientPrivilege: '42501',
  undefinedTable: '42P01',
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  invalidCatalogName: '3D000',
} as const

/**
 * A SQLSTATE is five characters whose class (the first two) is two digits or one of PostgreSQL's lettered classes
 * (F0, HV, P0, XX). Node's error codes (EPIPE, ECONNRESET) are not SQLSTATEs, though EPIPE is five capitals.
 */
const SQLSTATE_SHAPE = /^(?:[0-9]{2}|F0|HV|P0|XX)[0-9A-Z]{3}$/

export function isSqlState(code: unknown): code is string {
  return typeof code === 'string' && SQLSTATE_SHAPE.test(code)
}
