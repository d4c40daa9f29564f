/**
 * What a shell can do for the host beyond the contract: the desktop app encrypts secrets with Electron's
 * safeStorage and asks where to save a file; the browser twin can do neither. The host runs in a worker thread,
 * so these are async calls back to the shell's thread.
 */
export interface SecretStore {
  /** Encrypts a secret for storage at rest (base64). */
  encrypt(plain: string): Promise<string>
  decrypt(cipher: string): Promise<string>
}

export interface Shell {
  secrets?: SecretStore
  /** Shows a save dialog; resolves with the chosen path, or null when the person cancelled. */
  saveDialog?(defaultName: string): Promise<string | null>
}

/** How the shell chose the database at launch: a flag or the environment wins over the saved connection. */
export interface LaunchInfo {
  explicit: boolean
}
