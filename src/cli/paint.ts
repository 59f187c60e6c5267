/** Colour for people at a terminal; plain text everywhere else. */
const on = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export const paint = { green: wrap(32), red: wrap(31), dim: wrap(2), bold: wrap(1) };
