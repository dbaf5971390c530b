/**
 * The newsroom's public facts every screen needs (name, time zone, address):
 * read once per page load, and again when Settings saves (`loadSite(true)`),
 * which updates every screen using `useSite()`, the top bar included.
 */
import { useEffect, useState } from 'react';
import { api } from './api';

export interface SiteInfo {
  name: string;
  timeZone: string;
  language: string;
  publicUrl: string;
  logoUrl: string;
  /** How many related picks readers see as inline links. */
  relatedInlineCount: number;
}

const FALLBACK: SiteInfo = { name: 'Broadsheet', timeZone: 'UTC', language: 'en', publicUrl: window.location.origin, logoUrl: '', relatedInlineCount: 2 };
let pending: Promise<SiteInfo> | undefined;
let known: SiteInfo | undefined;
const listeners = new Set<(info: SiteInfo) => void>();

export function loadSite(force = false): Promise<SiteInfo> {
  if (!pending || force) {
    const request = api.get<SiteInfo>('/site').then((info) => {
      known = info;
      for (const listener of listeners) listener(info);
      return info;
    });
    request.catch(() => {
      if (pending === request) pending = undefined;
    });
    pending = request;
  }
  return pending;
}

export function useSite(): SiteInfo {
  const [site, setSite] = useState<SiteInfo>(known ?? FALLBACK);
  useEffect(() => {
    listeners.add(setSite);
    loadSite().then(setSite, () => undefined);
    return () => {
      listeners.delete(setSite);
    };
  }, []);
  return site;
}
