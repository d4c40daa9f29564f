/** Starts a browser download of `url` (same origin, served as an attachment): the browser streams it to disk. */
export function startDownload(url: string, filename: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
}
