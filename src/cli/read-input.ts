import fs from 'node:fs';
import type { JsonValue } from '../asl/json-value.js';
import { describeFsError, jsonSyntaxProblem } from '../asl/parse-definition.js';
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
      throw new StepwiseError('InvalidInput', `Cannot read the input file ${file} (${describeFsError(e)}).`);
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
    throw new StepwiseError('InvalidInput', `The execution input in ${where} is not JSON: ${jsonSyntaxProblem(text, where) ?? (e as Error).message}.`);
  }
}
