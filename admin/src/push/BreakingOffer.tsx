/**
 * After a story marked breaking goes live, the editor is asked whether to
 * alert readers: never sent by surprise, and never forgotten either. "Write
 * an alert" moves focus to the Push alert panel, filled from the story.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { Dialog } from '../components/Feedback';
import type { ArticleStatus } from '../types';

export function BreakingOffer({ status, breaking, allowed, panel }: { status: ArticleStatus | undefined; breaking: boolean; allowed: boolean; panel: RefObject<HTMLElement | null> }) {
  const [open, setOpen] = useState(false);
  const previous = useRef(status);
  useEffect(() => {
    // Only the change to published seen in this editor (not opening a story that was already live).
    if (previous.current !== undefined && previous.current !== 'published' && status === 'published' && breaking && allowed) setOpen(true);
    previous.current = status;
  }, [status, breaking, allowed]);

  const write = () => {
    setOpen(false);
    // After the dialog has closed and given focus back, move it to the panel.
    window.setTimeout(() => {
      panel.current?.scrollIntoView({ block: 'start' });
      panel.current?.focus();
    }, 0);
  };

  return (
    <Dialog open={open} title="Alert readers about this breaking story?" onClose={() => setOpen(false)}>
      <p>The story is live and marked as breaking news. You can send a push alert to readers who asked for breaking news. Nothing is sent until you confirm it in the Push alert panel.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={write}>
          Write an alert
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Not now
        </button>
      </div>
    </Dialog>
  );
}
