/**
 * Money raised per period as an inline SVG bar chart: one-time gifts stacked
 * under recurring ones. Screen readers get the same numbers from a visually
 * hidden table (the picture itself is one labelled image); each bar also has
 * a tooltip for the mouse. No chart library: a few rectangles are enough.
 */
import { useId } from 'react';
import { money } from './revenue';
import type { DashboardPeriod } from './DashboardData';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 10, right: 8, bottom: 28, left: 8 };

export function DashboardChart({ periods, currency, label }: { periods: DashboardPeriod[]; currency: string; label: string }) {
  const titleId = useId();
  const most = Math.max(1, ...periods.map((p) => p.raisedMinor));
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, periods.length);
  const bar = Math.max(1, slot * 0.7);
  const tall = HEIGHT - PAD.top - PAD.bottom;
  const y = (minor: number) => (minor / most) * tall;
  // A label under every bar would overlap with many of them: at most about 12.
  const every = Math.ceil(periods.length / 12);
  return (
    <figure className="dashboard-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
        <title id={titleId}>{label}</title>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} className="axis" />
        {periods.map((p, i) => {
          const x = PAD.left + i * slot + (slot - bar) / 2;
          const base = HEIGHT - PAD.bottom;
          const once = y(p.oneTimeMinor);
          const recurring = y(p.recurringMinor);
          return (
            <g key={p.start}>
              <title>{`${periodName(p)}: ${money(p.raisedMinor, currency)} (${money(p.oneTimeMinor, currency)} one-time, ${money(p.recurringMinor, currency)} recurring)`}</title>
              <rect x={x} y={base - once} width={bar} height={once} className="bar-once" />
              <rect x={x} y={base - once - recurring} width={bar} height={recurring} className="bar-recurring" />
              {i % every === 0 ? (
                <text x={x + bar / 2} y={HEIGHT - 10} textAnchor="middle" className="tick">
                  {p.start.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span className="key key-once" aria-hidden="true" /> One-time <span className="key key-recurring" aria-hidden="true" /> Recurring
      </figcaption>
      <table className="visually-hidden">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Raised</th>
            <th scope="col">One-time</th>
            <th scope="col">Recurring</th>
            <th scope="col">Refunded</th>
            <th scope="col">Gifts</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => (
            <tr key={p.start}>
              <th scope="row">{periodName(p)}</th>
              <td>{money(p.raisedMinor, currency)}</td>
              <td>{money(p.oneTimeMinor, currency)}</td>
              <td>{money(p.recurringMinor, currency)}</td>
              <td>{money(p.refundedMinor, currency)}</td>
              <td>{p.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export const periodName = (p: DashboardPeriod) => (p.start === p.end ? p.start : `${p.start} to ${p.end}`);
