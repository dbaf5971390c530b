/**
 * Wires an Autosaver to the browser: saves when the tab is hidden or the page
 * unloads (keepalive), when the editor unmounts (navigating inside the app),
 * retries when the connection comes back or the user signs in again, and asks
 * the browser to warn before leaving while unsaved changes exist.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { onSessionRestored } from '../session';
import type { Autosaver, Snapshot } from './autosave';

export function useAutosave(saver: Autosaver): Snapshot {
  useEffect(() => {
    saver.setActive(true);
    const onHidden = () => {
      if (document.visibilityState === 'hidden') saver.flush();
    };
    const onPageHide = () => saver.flush();
    const onOnline = () => saver.resume();
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!saver.hasUnsaved()) return;
      event.preventDefault();
      event.returnValue = ''; // older browsers need it set to show the warning
    };
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('online', onOnline);
    window.addEventListener('beforeunload', onBeforeUnload);
    const offSession = onSessionRestored(() => saver.resume());
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('beforeunload', onBeforeUnload);
      offSession();
      // Leaving the editor inside the app: send what is pending (the request outlives the screen;
      // if it fails, the copy on this device is restored next time the article is opened).
      saver.flush();
      saver.setActive(false);
    };
  }, [saver]);
  return useSyncExternalStore(saver.subscribe, saver.getSnapshot);
}
