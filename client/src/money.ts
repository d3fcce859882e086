/** Minor units (a decimal string) as money, e.g. "123456" with scale 2 → "1,234.56". */
export function formatMinor(minor: string | bigint, scale = 2): string {
  const value = BigInt(minor);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = scale > 0 ? `.${digits.slice(-scale)}` : "";
  return `${negative ? "−" : ""}${whole}${fraction}`;
}

/** "12.50" → 1250n for a scale of 2; null when it is not an amount. */
export function parseMajor(text: string, scale = 2): bigint | null {
  const match = /^\s*(\d{1,12})(?:\.(\d{1,}))?\s*$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > scale) return null;
  return BigInt(match[1]!) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
}
