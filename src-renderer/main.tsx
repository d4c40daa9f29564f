import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { z } from 'zod'
import { connectApi } from './api'
import { setApiClient } from './api/instance'
import { App, NoToken } from './app'
import { startLive } from './stores/live'
import { followHash } from './stores/view-store'
import './styles/base.css'
import './styles/controls.css'
import './styles/status.css'
import './styles/run.css'
import './styles/months.css'
import './styles/logs.css'

// The CSP forbids eval; zod's JIT would try it and log a violation.
z.config({ jitless: true })

const client = connectApi()
const root = createRoot(document.getElementById('root')!)
if (client) {
  setApiClient(client)
  startLive(client)
  followHash()
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
} else {
  root.render(<NoToken />)
}
