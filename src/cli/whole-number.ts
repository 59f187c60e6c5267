/**
 * A flag's value read as a whole number, or NaN when it is not written in decimal digits alone.
 * `Number()` alone takes `''` as 0 (so `--port ''` bound a random port) and reads `0x50`,
 * `1e3` and `' 3'` as numbers nobody typed; callers check the range and name the flag.
 */
export function wholeNumber(value: string | undefined): number {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
}
