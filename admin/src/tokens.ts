/**
 * Emailed links carry their token in the URL fragment (#token=...), which browsers never send to the server.
 * Read from the router's location, so pasting a link into a tab already on that page (only the fragment
 * changes: no reload) still picks the token up.
 */
import { useLocation } from 'react-router-dom';

export function tokenFrom(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

export function useFragmentToken(): string {
  return tokenFrom(useLocation().hash);
}
