/** An integer with thousands separators ("4,063,232"); other numbers keep up to `digits` decimals. */
export function formatNumber(value: number | undefined, digits = 2): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(digits).replace(/\.?0+$/, "");
  const [whole, fraction] = rounded.split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** `part` as a percentage of `whole` with one decimal ("12.5%"), or "—" when whole is 0. */
export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "—";
}

/** Seconds as "0.21 s", "1 min 12 s" or "2 h 5 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
