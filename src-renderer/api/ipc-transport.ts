import type { AssayBridge } from '../../src-shared/bridge'
import { isRequestName } from '../../src-shared/contract'
import type { Transport } from './transport'

/** The desktop app's transport: the preload's named calls. */
export function ipcTransport(bridge: AssayBridge): Transport {
  return {
    kind: 'ipc',
    request(name, input) {
      if (!isRequestName(name)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown_request', message: `unknown request ${name}` },
        })
      }
      return bridge.call[name](input)
    },
    subscribe: (listener) => bridge.onEvent(listener),
    onLink(listener) {
      listener({ state: 'open', message: null })
      return () => undefined
    },
  }
}
