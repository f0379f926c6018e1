/**
 * A failure in plain words, announced to screen readers.
 */
export const ErrorNotice = ({ title, message }: { readonly title: string; readonly message: string }) => (
  <div class="notice notice-error" role="alert">
    <strong>{title}</strong> {message}
  </div>
)
