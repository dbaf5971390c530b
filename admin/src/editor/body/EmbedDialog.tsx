/** Asking for the address of a post or video to embed. */
import { UrlDialog } from './UrlDialog';
import { describeEmbed, PROVIDER_NAMES } from './links';

export function EmbedDialog({ open, initial, onApply, onClose }: { open: boolean; initial: string; onApply(url: string): void; onClose(): void }) {
  return (
    <UrlDialog
      open={open}
      title={initial ? 'Change the embed' : 'Embed a post or video'}
      initial={initial}
      label="Address of the post or video"
      hint="YouTube, X, Instagram, Facebook or Bluesky; any other address shows as a link card. Readers see a link: nothing loads from the other site until they follow it."
      parse={(value) => describeEmbed(value)?.url ?? null}
      invalid="Paste the full address of the post or video, starting with https://"
      submitLabel={initial ? 'Change' : 'Embed'}
      input={{ type: 'url' }}
      preview={preview}
      onApply={onApply}
      onClose={onClose}
    />
  );
}

/** What the pasted address will become, said as it is typed. */
function preview(value: string): string {
  const info = value.trim() ? describeEmbed(value) : null;
  if (!info) return '';
  return info.provider === 'link' ? `A link card for ${info.host}` : `${PROVIDER_NAMES[info.provider]} embed`;
}
