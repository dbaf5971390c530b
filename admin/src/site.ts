/** The newsroom's public facts every screen needs (name, time zone, address), read once per page load. */
import { useEffect, useState } from 'react';
import { api } from './api';

export interface SiteInfo {
  name: string;
  timeZone: string;
  language: string;
  publicUrl: string;
  logoUrl: string;
}

const FALLBACK: SiteInfo = { name: 'Broadsheet', timeZone: 'UTC', language: 'en', publicUrl: window.location.origin, logoUrl: '' };
let pending: Promise<SiteInfo> | undefined;
let known: SiteInfo | undefined;

export function loadSite(force = false): Promise<SiteInfo> {
  if (!pending || force) {
    pending = api.get<SiteInfo>('/site').then((info) => (known = info));
    pending.catch(() => (pending = undefined));
  }
  return pending;
}

export function useSite(): SiteInfo {
  const [site, setSite] = useState<SiteInfo>(known ?? FALLBACK);
  useEffect(() => {
    let live = true;
    loadSite().then((info) => live && setSite(info), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return site;
}
