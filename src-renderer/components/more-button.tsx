/** The button under a keyset-paged table that appends its next page (shown only while there is one). */
export function MoreButton({
  more,
  loading,
  label,
  onMore,
}: {
  more: boolean
  loading: boolean
  /** "Older runs", "More rows"… */
  label: string
  onMore: () => void
}) {
  if (!more) return null
  return (
    <div className="actions">
      <button type="button" className="button" disabled={loading} onClick={onMore}>
        {loading ? 'Loading…' : label}
      </button>
    </div>
  )
}
