/**
 * The preload: exposes `window.assay` with one named call per contract request and an event subscription.
 * Never raw ipcRenderer; built as CommonJS so the renderer keeps `sandbox: true`.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron'
import { type AssayBridge, IPC } from '../../src-shared/bridge.js'
import { type EventMessage, requestNames } from '../../src-shared/contract.js'

const call = Object.fromEntries(
  requestNames.map((name) => [name, (input?: unknown) => ipcRenderer.invoke(IPC.request, name, input)]),
) as AssayBridge['call']

const bridge: AssayBridge = {
  call,
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, message: EventMessage) => listener(message)
    ipcRenderer.on(IPC.event, handler)
    return () => ipcRenderer.off(IPC.event, handler)
  },
}

contextBridge.exposeInMainWorld('assay', bridge)
