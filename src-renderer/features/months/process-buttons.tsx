const BUTTONS = [
  { force: false, label: 'Process', className: 'button button-primary', title: undefined },
  {
    force: true,
    label: 'Force',
    className: 'button',
    title: 'Process again even if completed and up to date',
  },
]

/** Process, and Force (process again even if completed and up to date): a month's or a set's two run buttons. */
export function ProcessButtons({
  disabled,
  onProcess,
}: {
  disabled: boolean
  onProcess: (force: boolean) => void
}) {
  return BUTTONS.map((b) => (
    <button
      key={b.label}
      type="button"
      className={b.className}
      disabled={disabled}
      title={b.title}
      onClick={() => onProcess(b.force)}
    >
      {b.label}
    </button>
  ))
}
