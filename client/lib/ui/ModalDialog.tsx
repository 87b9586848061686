// An accessible modal dialog (Kobalte): focus moves in when it opens and back when it
// closes, Escape and the close button close it, the title labels it, the page behind is inert.
import { Dialog } from '@kobalte/core/dialog';
import type { JSX } from 'solid-js';

export function ModalDialog(props: {
  title: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Where focus goes when the dialog closes, if not back to what opened it. */
  returnFocusTo?: () => HTMLElement | undefined;
  /** Where focus goes when it opens, if not the first control (the close button). */
  initialFocus?: () => HTMLElement | undefined;
  children: JSX.Element;
}) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} modal>
      <Dialog.Portal>
        <Dialog.Overlay class="dialog-overlay" />
        <div class="dialog-positioner">
          <Dialog.Content
            class="dialog-content"
            onOpenAutoFocus={(event) => {
              const target = props.initialFocus?.();
              if (target) {
                event.preventDefault();
                target.focus();
              }
            }}
            onCloseAutoFocus={(event) => {
              const target = props.returnFocusTo?.();
              if (target) {
                event.preventDefault();
                target.focus();
              }
            }}
          >
            <header class="dialog-header">
              <Dialog.Title class="dialog-title">{props.title}</Dialog.Title>
              <Dialog.CloseButton class="dialog-close secondary" aria-label="Close">
                ×
              </Dialog.CloseButton>
            </header>
            {props.children}
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}
