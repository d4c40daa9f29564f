import { Readable } from 'node:stream'
import type { Worker } from 'node:worker_threads'
import { AssayError } from '../../engine/errors.js'
import type { Download } from '../exports/export-manager.js'
import type { FromWorker, ToWorker } from './protocol.js'

type DownloadMessage = Extract<FromWorker, { type: `download-${string}` }>

interface Pending {
  started: (download: Download) => void
  failed: (error: Error) => void
  stream?: Readable
}

/**
 * The parent's side of export streaming: a Readable per download, fed by the worker's chunks. A chunk is
 * acknowledged once the reader has room for more, which is what lets the worker send the next one.
 */
export function clientDownloads(worker: Worker) {
  const pending = new Map<number, Pending>()
  let nextId = 1
  const post = (message: ToWorker) => worker.postMessage(message)

  function open(exportId: string): Promise<Download> {
    const id = nextId++
    return new Promise<Download>((resolve, reject) => {
      pending.set(id, { started: resolve, failed: reject })
      post({ type: 'download', id, exportId })
    })
  }

  function onMessage(message: DownloadMessage): void {
    const entry = pending.get(message.id)
    if (!entry) return
    const { id } = message
    switch (message.type) {
      case 'download-start': {
        let owed = 0
        const stream = new Readable({
          read() {
            for (; owed > 0; owed--) post({ type: 'download-ack', id })
          },
          destroy(error, done) {
            if (pending.delete(id)) post({ type: 'download-abort', id })
            done(error)
          },
        })
        entry.stream = stream
        ;(stream as Readable & { owe: () => void }).owe = () => owed++
        entry.started({ filename: message.filename, stream })
        return
      }
      case 'download-chunk': {
        const stream = entry.stream as (Readable & { owe: () => void }) | undefined
        if (!stream) return
        if (
          stream.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength))
        )
          post({ type: 'download-ack', id })
        else stream.owe()
        return
      }
      case 'download-end':
        pending.delete(id)
        entry.stream?.push(null)
        return
      case 'download-error': {
        pending.delete(id)
        const error = new AssayError(message.code, message.message)
        if (entry.stream) entry.stream.destroy(error)
        else entry.failed(error)
      }
    }
  }

  /** The worker is gone: every open download fails. */
  function failAll(message: string): void {
    for (const [id, entry] of pending) {
      pending.delete(id)
      const error = new AssayError('host_stopped', message)
      if (entry.stream) entry.stream.destroy(error)
      else entry.failed(error)
    }
  }

  return { open, onMessage, failAll }
}
