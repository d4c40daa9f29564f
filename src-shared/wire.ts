/** The browser twin's WebSocket frames: requests carry an id; the server answers with it and pushes events. */
import { z } from 'zod'
import type { Envelope, EventMessage } from './contract.js'

export const WireRequest = z.object({
  id: z.number().int().nonnegative(),
  name: z.string().max(64),
  input: z.unknown().optional(),
})
export type WireRequest = z.infer<typeof WireRequest>

export type WireMessage =
  | { type: 'response'; id: number | null; envelope: Envelope<unknown> }
  | ({ type: 'event' } & EventMessage)

/** Path of the WebSocket endpoint; the per-launch token goes in its `token` query parameter. */
export const WIRE_PATH = '/ws'
