/** Adding, changing or removing a link on the selected text. */
import { UrlDialog } from './UrlDialog';
import { normalizeLinkInput } from './links';

export function LinkDialog({
  open,
  initial,
  onApply,
  onRemove,
  onClose,
}: {
  open: boolean;
  /** The current link's address ('' for a new link). */
  initial: string;
  onApply(href: string): void;
  onRemove(): void;
  onClose(): void;
}) {
  return (
    <UrlDialog
      open={open}
      title={initial ? 'Edit link' : 'Add a link'}
      initial={initial}
      label="Link address"
      hint="A web address, an email address, or a page on this site starting with /"
      parse={normalizeLinkInput}
      invalid="This is not an address we can link to: use a web address (https://…), an email address or a page on this site (/…)"
      submitLabel={initial ? 'Update link' : 'Add link'}
      input={{ inputMode: 'url' }}
      extraActions={
        initial ? (
          <button type="button" onClick={onRemove}>
            Remove link
          </button>
        ) : null
      }
      onApply={onApply}
      onClose={onClose}
    />
  );
}
