/**
 * Refund a donation (POST /api/admin/donations/:id/refunds): how much (all that is
 * left unless changed), why, an optional note, then a confirmation. The idempotency
 * key is made when the dialog opens, so a double click or a retry after a lost
 * answer is still one refund. Stripe's own report makes the refund final; until
 * then the list shows it as pending.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api } from '../api';
import { Dialog, ErrorMessage } from '../components/Feedback';
import { minorDigits, money, REFUND_REASON_NAMES, type Donation, type RefundReason } from './revenue';

/** "12.50" → 1250; undefined when it is not an amount. */
function toMinor(text: string, digits: number): number | undefined {
  const clean = text.trim().replace(/[^\d.]/g, '');
  if (!/^\d+(\.\d*)?$/.test(clean)) return undefined;
  const [whole, fraction = ''] = clean.split('.');
  if (fraction.length > digits) return undefined;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

export function RefundDialog({ donation, onClose, onRefunded }: { donation: Donation | null; onClose(): void; onRefunded(message: string): void }) {
  const ids = useId();
  const digits = (donation && minorDigits(donation.currency)) ?? 2;
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<RefundReason>('requested_by_customer');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [key, setKey] = useState('');

  useEffect(() => {
    if (!donation) return;
    setAmount((donation.refundableMinor / 10 ** digits).toFixed(digits));
    setReason('requested_by_customer');
    setNote('');
    setConfirming(false);
    setError(undefined);
    setKey(crypto.randomUUID());
  }, [donation, digits]);

  if (!donation) return <Dialog open={false} title="Refund" onClose={onClose}>{null}</Dialog>;
  const minor = toMinor(amount, digits);
  const amountProblem =
    minor === undefined || minor < 1 ? 'Enter the amount to refund, like 10 or 10.50' : minor > donation.refundableMinor ? `At most ${money(donation.refundableMinor, donation.currency)} can be refunded` : '';

  const review = (event: FormEvent) => {
    event.preventDefault();
    if (!amountProblem) setConfirming(true);
  };
  const refund = async () => {
    if (busy || minor === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/donations/${donation.id}/refunds`, { amountMinor: minor, reason, note: note.trim() || undefined, idempotencyKey: key });
      onRefunded(`Refund of ${money(minor, donation.currency)} to ${donation.donor.email} asked of Stripe: pending until Stripe confirms it.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={`Refund a gift from ${donation.donor.email}`} onClose={onClose}>
      {confirming ? (
        <div>
          <p>
            Refund <strong>{money(minor ?? 0, donation.currency)}</strong> of this {money(donation.amountMinor, donation.currency)} gift to {donation.donor.email}? The money goes
            back to the donor’s card or account. This cannot be undone.
          </p>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" className="danger" onClick={refund} disabled={busy} aria-disabled={busy}>
              {busy ? 'Refunding…' : `Refund ${money(minor ?? 0, donation.currency)}`}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Back
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={review} noValidate>
          <p>
            Paid {money(donation.amountMinor, donation.currency)}
            {donation.refundedMinor ? `, ${money(donation.refundedMinor, donation.currency)} refunded` : ''}
            {donation.pendingRefundMinor ? `, ${money(donation.pendingRefundMinor, donation.currency)} being refunded` : ''}.
          </p>
          <p className="field">
            <label htmlFor={`${ids}-amount`}>Amount to refund ({donation.currency.toUpperCase()})</label>
            <input
              id={`${ids}-amount`}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={Boolean(amountProblem)}
              aria-describedby={amountProblem ? `${ids}-amount-error` : undefined}
            />
            {amountProblem ? (
              <span id={`${ids}-amount-error`} className="field-error">
                {amountProblem}
              </span>
            ) : null}
          </p>
          <p className="field">
            <label htmlFor={`${ids}-reason`}>Reason</label>
            <select id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value as RefundReason)}>
              {(Object.keys(REFUND_REASON_NAMES) as RefundReason[]).map((r) => (
                <option key={r} value={r}>
                  {REFUND_REASON_NAMES[r]}
                </option>
              ))}
            </select>
          </p>
          <p className="field">
            <label htmlFor={`${ids}-note`}>Note (optional, kept with the refund)</label>
            <textarea id={`${ids}-note`} value={note} maxLength={500} rows={2} onChange={(e) => setNote(e.target.value)} />
          </p>
          <div className="actions">
            <button type="submit" className="primary">
              Review the refund
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
