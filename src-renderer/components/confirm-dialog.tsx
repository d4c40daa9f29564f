import { type ReactNode, useEffect, useId, useRef } from 'react'

/**
 * A modal on the native <dialog>: focus moves into it, Escape asks onCancel, and the page behind is inert while it
 * is open.
 */
export function Modal({
  open,
  title,
  className,
  testId,
  onCancel,
  actions,
  children,
}: {
  open: boolean
  title: ReactNode
  className?: string
  testId?: string
  onCancel: () => void
  /** The buttons at the bottom. */
  actions: ReactNode
  children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  )
}

/** A modal confirmation: Cancel, or a dangerous action that is disabled while busy or not yet allowed. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busy,
  canConfirm = true,
  onConfirm,
  onCancel,
}: {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  busy?: boolean
  canConfirm?: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy || !canConfirm}
            onClick={onConfirm}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  )
}
