/**
 * The filter fields the Logs, Runs and Checkpoints views and their CSV export share, defined once so a query and
 * its export accept exactly the same values. No Node or DOM imports.
 */
import { z } from 'zod'
import { Instant } from './instant.js'
import { LogLevel } from './pipeline.js'

/** A pipeline or stage name. */
export const Name = z.string().min(1).max(100)

export const RunId = z.string().min(1).max(50)

/** A checkpoint status as stored (free text in ops.pipeline_checkpoint). */
export const CheckpointStatusText = z.string().min(1).max(20)

/** Case-insensitive: literal text in the message, or these words in a metadata value (engine/logs/filter). */
export const SearchText = z
  .string()
  .max(200, 'search must be at most 200 characters')
  .refine((s) => !s.includes('\u0000'), 'search must not contain a NUL character')

/** From (at or after) and to (before), as instants. */
export const TimeWindow = { from: Instant.optional(), to: Instant.optional() }

/** The Logs view's filter. */
export const LogFilter = z.object({
  level: LogLevel.optional(),
  pipeline: Name.optional(),
  runId: RunId.optional(),
  search: SearchText.optional(),
  ...TimeWindow,
})
