/**
 * Kubernetes resource quantities (`resource.Quantity`): `<sign><number><suffix>` where the suffix is
 * binary (Ki … Ei), decimal SI (n, u, m, "", k, M, G, T, P, E) or an exponent (e3, E-2).
 * Computed with integers so that results that are whole numbers are exact ("1.5Gi" is 1610612736).
 */
const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL_EXPONENT: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/;

export class QuantityError extends Error {}

export function parseQuantity(text: string): number {
  const match = QUANTITY.exec(text.trim());
  if (!match) throw new QuantityError(`"${text}" is not a Kubernetes quantity`);
  const [, sign, number, binary, exponent, decimal] = match as unknown as [
    string,
    string,
    string,
    string?,
    string?,
    string?,
  ];
  const [whole = '', fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let denominator = 10n ** BigInt(fraction.length);
  if (binary) {
    numerator *= BINARY[binary]!;
  } else {
    const power = exponent ? Number(exponent.slice(1)) : DECIMAL_EXPONENT[decimal ?? '']!;
    if (Math.abs(power) > 400) throw new QuantityError(`"${text}" is out of range`);
    if (power >= 0) numerator *= 10n ** BigInt(power);
    else denominator *= 10n ** BigInt(-power);
  }
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const value = Number(quotient) + ratio(remainder, denominator);
  if (!Number.isFinite(value)) throw new QuantityError(`"${text}" is out of range`);
  return sign === '-' ? -value : value;
}

/** remainder / denominator as a double, for denominators far beyond 2^53. */
function ratio(remainder: bigint, denominator: bigint): number {
  if (remainder === 0n) return 0;
  const shift = BigInt(Math.max(0, denominator.toString(2).length - 60));
  return Number(remainder >> shift) / Number(denominator >> shift);
}
