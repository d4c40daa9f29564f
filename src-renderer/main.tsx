import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { z } from 'zod'
import { connectApi } from './api'
import { setApiClient } from './api/instance'
import { App, NoToken } from './app'
import { applyTheme, rememberedTheme } from './lib/theme'
import { startLive } from './stores/live'
import { applyRoute } from './stores/routes'
import { followHash } from './stores/view-store'
import './styles/base.css'
import './styles/theme-dark.css'
import './styles/controls.css'
import './styles/charts.css'
import './styles/status.css'
import './styles/run.css'
import './styles/months.css'
import './styles/logs.css'
import './styles/runs.css'
import './styles/overview.css'
import './styles/explain.css'
import './styles/settings.css'
import './styles/responsive.css'

// The CSP forbids eval; zod's JIT would try it and log a violation.
z.config({ jitless: true })

// The last theme at once (no flash); the saved setting follows with the settings.
applyTheme(rememberedTheme())

const client = connectApi()
const root = createRoot(document.getElementById('root')!)
if (client) {
  setApiClient(client)
  startLive(client)
  followHash(applyRoute)
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
} else {
  root.render(<NoToken />)
}
