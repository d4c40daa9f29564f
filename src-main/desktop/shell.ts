/** The desktop shell's capabilities for the host: encrypted secrets (safeStorage) and the native save dialog. */
import { BrowserWindow, dialog, safeStorage } from 'electron'
import type { SecretStore, Shell } from '../host/shell.js'

/**
 * safeStorage encrypts with the OS keychain (macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux). On a
 * Linux without a keyring it falls back to a hard-coded key ("basic_text"), which is plain text in disguise:
 * then no secret store is offered and the password is not saved.
 */
function secretStore(): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined
  if (backend === 'basic_text' || backend === 'unknown') return undefined
  return {
    encrypt: async (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: async (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  }
}

/** Call after `app.whenReady()` (safeStorage needs it). */
export function desktopShell(): Shell {
  return {
    secrets: secretStore(),
    async saveDialog(defaultName) {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
      const options = {
        title: 'Export to CSV',
        defaultPath: defaultName,
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      }
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
  }
}
