/**
 * The sample script (lib/sample.mjs) that every tool here runs in a fresh process, and the one
 * line of results such a process prints (replay-resume.mjs prints one too): `@@result {json}`.
 */
import { join } from 'node:path';
import { repo } from './engines.mjs';

export const SAMPLE_SCRIPT = join(repo, 'benchmarks', 'lib', 'sample.mjs');

const PREFIX = '@@result ';

/** The results line a process prints for `result`. */
export const resultLine = (result) => `${PREFIX}${JSON.stringify(result)}`;

/** Whether a line of a sample's output is its results line. */
export const isResultLine = (line) => line.startsWith(PREFIX);

/** The results a process printed on its `@@result` line, or undefined when it printed none. */
export function sampleResult(stdout) {
  const line = stdout.split('\n').find(isResultLine);
  return line === undefined ? undefined : JSON.parse(line.slice(PREFIX.length));
}
