import type { MessagePort } from 'node:worker_threads'
import { toErrorInfo } from '../envelope.js'
import type { Host } from '../host.js'
import { DOWNLOAD_WINDOW, type FromWorker, type ToWorker } from './protocol.js'

type DownloadMessage = Extract<ToWorker, { type: 'download' | 'download-ack' | 'download-abort' }>

/**
 * Streams exports from the worker to the parent: at most DOWNLOAD_WINDOW chunks unacknowledged, so a slow
 * browser slows the database read instead of filling memory. Each chunk is copied into its own buffer and
 * transferred (no second copy).
 */
export function workerDownloads(port: MessagePort, host: Host): (message: DownloadMessage) => void {
  const streams = new Map<number, { ack: () => void; abort: () => void }>()
  const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)

  async function pump(id: number, exportId: string): Promise<void> {
    let inFlight = 0
    let wake: (() => void) | undefined
    let aborted = false
    const { filename, stream } = await host.download(exportId)
    streams.set(id, {
      ack: () => {
        inFlight--
        wake?.()
      },
      abort: () => {
        aborted = true
        stream.destroy()
        wake?.()
      },
    })
    send({ type: 'download-start', id, filename })
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const copy = new Uint8Array(chunk)
      send({ type: 'download-chunk', id, chunk: copy }, [copy.buffer])
      inFlight++
      while (inFlight >= DOWNLOAD_WINDOW && !aborted) await new Promise<void>((r) => (wake = r))
      if (aborted) return
    }
    send({ type: 'download-end', id })
  }

  return (message) => {
    if (message.type === 'download') {
      pump(message.id, message.exportId)
        .catch((error) => send({ type: 'download-error', id: message.id, ...toErrorInfo(error) }))
        .finally(() => streams.delete(message.id))
    } else if (message.type === 'download-ack') streams.get(message.id)?.ack()
    else streams.get(message.id)?.abort()
  }
}
