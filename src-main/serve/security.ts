import { randomBytes, timingSafeEqual } from 'node:crypto'

/** The only address the twin listens on: never reachable from another machine. */
export const LOOPBACK = '127.0.0.1'

/** A fresh secret per launch, printed in the URL to open. */
export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Host must name this server (defeats DNS rebinding: a hostile page whose name resolves to 127.0.0.1 sends its
 * own name); Origin, when present, must be this server's (defeats cross-site requests and WebSocket hijacking).
 */
export function originPolicy(port: number) {
  const hosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`])
  const origins = new Set([...hosts].map((h) => `http://${h}`))
  return {
    hostAllowed: (host: string | undefined) => host !== undefined && hosts.has(host.toLowerCase()),
    originAllowed: (origin: string | undefined) => origin === undefined || origins.has(origin.toLowerCase()),
  }
}

/** Headers on every HTTP response: a strict CSP (scripts and styles from this origin only) and no framing. */
export function securityHeaders(port: number): Record<string, string> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${LOOPBACK}:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  }
}
