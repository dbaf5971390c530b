/** Emailed links carry their token in the URL fragment (#token=...), which browsers never send to the server. */
export function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}
