import fs from 'node:fs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError } from '../errors/stepwise-error.js';

/** Parses execution input from `--input` text or `--input-file`, saying where it is broken. */
export function readInput(inline: string | undefined, file: string | undefined): JsonValue {
  if (inline !== undefined && file !== undefined) throw new StepwiseError('InvalidArgument', 'Give either --input or --input-file, not both.');
  let text: string;
  let where: string;
  if (file !== undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new StepwiseError('InvalidInput', `Cannot read the input file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
    where = file;
  } else if (inline !== undefined) {
    text = inline;
    where = '--input';
  } else {
    return {};
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new StepwiseError('InvalidInput', `The execution input in ${where} is not JSON: ${(e as Error).message}${lineHint(text, e as Error)}.`);
  }
}

function lineHint(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}
