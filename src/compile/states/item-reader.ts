import type { JsonValue } from '../../asl/json-value.js';
import { isJsonObject } from '../../asl/json-value.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';

interface ReaderConfig {
  InputType?: 'CSV' | 'JSON' | 'JSONL' | 'MANIFEST';
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  CSVDelimiter?: 'COMMA' | 'PIPE' | 'SEMICOLON' | 'SPACE' | 'TAB';
  MaxItems?: number;
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

/**
 * Turns what an ItemReader's resource returned into the Map's items (DG:input-output-itemreader):
 * an array as is, or a file body (a string, or S3 GetObject's `{ Body }`) parsed as JSON, JSON
 * Lines or CSV (header row or given headers; every field a string) according to ReaderConfig.
 */
export function itemsFromReader(data: JsonValue, config: ReaderConfig | undefined): JsonValue[] {
  let items: JsonValue[];
  const body = isJsonObject(data) && typeof data.Body === 'string' ? data.Body : data;
  if (Array.isArray(body)) items = body;
  else if (typeof body === 'string') items = parseBody(body, config ?? {});
  else throw new AslError(StatesErrors.ItemReaderFailed, `The ItemReader returned ${JSON.stringify(data)?.slice(0, 200)}, which is neither an array of items nor a file body.`);
  const max = config?.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

function parseBody(text: string, config: ReaderConfig): JsonValue[] {
  const type = config.InputType ?? 'JSON';
  try {
    if (type === 'JSON') {
      const parsed = JSON.parse(text) as JsonValue;
      if (!Array.isArray(parsed)) throw new Error('the JSON file does not hold an array');
      return parsed;
    }
    if (type === 'JSONL') return text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JsonValue);
    if (type === 'CSV') return parseCsv(text, config);
  } catch (e) {
    throw new AslError(StatesErrors.ItemReaderFailed, `The ItemReader could not read the ${type} input: ${(e as Error).message}`);
  }
  throw new AslError(StatesErrors.ItemReaderFailed, `ReaderConfig.InputType ${type} is not supported over this resource.`);
}

function parseCsv(text: string, config: ReaderConfig): JsonValue[] {
  const rows = splitCsv(text, DELIMITERS[config.CSVDelimiter ?? 'COMMA']!);
  const headers = config.CSVHeaderLocation === 'GIVEN' ? config.CSVHeaders ?? [] : rows.shift() ?? [];
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
}

/** RFC 4180 fields: quotes around a field, doubled quotes inside it. */
function splitCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
