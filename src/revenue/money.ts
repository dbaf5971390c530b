/**
 * Money for donations: amounts typed by readers, the currency's minor unit
 * (Stripe counts cents, and yen as whole yen), display, and the "cover the
 * card fees" gross-up. Integers in minor units everywhere after parsing, so no
 * floating-point cent is ever lost.
 */
import type { SiteSettings } from '../newsroom/settings.js';

/** Decimal places of the currency's minor unit (2 for USD and EUR, 0 for JPY). */
export function currencyDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Whole units (what readers and settings speak in) → minor units. */
export function toMinor(units: number, currency: string): number {
  return Math.round(units * 10 ** currencyDecimals(currency));
}

/** "$20", "$20.50", "¥500", "€1,000" in the site's language. */
export function formatMoney(minor: number, currency: string, language = 'en'): string {
  const decimals = currencyDecimals(currency);
  const units = minor / 10 ** decimals;
  const whole = Number.isInteger(units);
  try {
    return new Intl.NumberFormat(language, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: whole ? 0 : decimals,
      maximumFractionDigits: decimals,
    }).format(units);
  } catch {
    return `${units.toFixed(whole ? 0 : decimals)} ${currency.toUpperCase()}`;
  }
}

/**
 * An amount as a reader types it ("25", "25.50", "1,000", "$25") → minor units,
 * or why it is not one. Bounds are checked by the caller.
 */
export function parseAmount(input: string, currency: string): number | { error: string } {
  const cleaned = input.trim().replace(/^(?:[$€£¥₹]|[A-Za-z]{3}\s)\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!cleaned) return { error: 'Choose an amount or enter your own' };
  const decimals = currencyDecimals(currency);
  const pattern = decimals > 0 ? new RegExp(`^\\d{1,9}(\\.\\d{1,${decimals}})?$`) : /^\d{1,12}$/;
  if (!pattern.test(cleaned)) {
    return { error: cleaned.startsWith('-') ? 'Enter an amount above zero' : `Enter the amount in numbers, like 25${decimals > 0 ? ' or 25.50' : ''}` };
  }
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

/**
 * What the card-fee cover adds to a gift: the total is grossed up so that after
 * the processor takes `percent`% + `fixed` of the total, the newsroom keeps the
 * whole gift: total = (gift + fixed) / (1 − percent/100), rounded up to the
 * minor unit. With 2.9% + 0.30, a $20 gift becomes $20.91 (fee $0.91).
 */
export function feeToCover(giftMinor: number, settings: Pick<SiteSettings['donations'], 'feePercent' | 'feeFixed' | 'currency'>): number {
  const fixedMinor = toMinor(settings.feeFixed, settings.currency);
  const total = Math.ceil((giftMinor + fixedMinor) / (1 - settings.feePercent / 100) - 1e-9);
  return Math.max(0, total - giftMinor);
}
