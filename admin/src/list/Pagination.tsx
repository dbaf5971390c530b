/**
 * "Showing 21–40 of 138" and page buttons (first, last, a window around the
 * current page, gaps elided). Buttons, not links: the caller decides where the
 * page number lives (the URL for the article list and the media library).
 */
export function pageWindow(page: number, pages: number): (number | 'gap')[] {
  const wanted = new Set([1, pages, page - 1, page, page + 1]);
  if (page <= 3) [2, 3, 4].forEach((n) => wanted.add(n));
  if (page >= pages - 2) [pages - 1, pages - 2, pages - 3].forEach((n) => wanted.add(n));
  const sorted = [...wanted].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  for (const n of sorted) {
    const last = out[out.length - 1];
    if (typeof last === 'number' && n - last > 1) out.push('gap');
    out.push(n);
  }
  return out;
}

export function Pagination({
  page,
  pageSize,
  total,
  onPage,
  noun = 'items',
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage(page: number): void;
  /** "articles", "images": for the summary line. */
  noun?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <div className="pagination">
      <p>{total === 0 ? `No ${noun}` : `Showing ${first}–${last} of ${total} ${noun}`}</p>
      {pages > 1 ? (
        <nav aria-label="Pages">
          <ul>
            <li>
              <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
                Previous
              </button>
            </li>
            {pageWindow(page, pages).map((n, i) =>
              n === 'gap' ? (
                <li key={`gap-${i}`} className="gap" aria-hidden="true">
                  …
                </li>
              ) : (
                <li key={n}>
                  <button
                    type="button"
                    aria-current={n === page ? 'page' : undefined}
                    aria-label={`Page ${n}`}
                    onClick={() => n !== page && onPage(n)}
                  >
                    {n}
                  </button>
                </li>
              ),
            )}
            <li>
              <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
                Next
              </button>
            </li>
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
