import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-helpers.js';

const pass = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: { x: 1 }, End: true } } });

/** A working directory whose default store holds one SUCCEEDED execution named `ok`. */
function storeWithOne(): { cwd: string; def: string } {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-robust-'));
  const def = tempFile('def.json', pass);
  expect(runCli(['run', def, '--name', 'ok', '--json'], { cwd }).code).toBe(0);
  return { cwd, def };
}

/** Bad usage: exit 2, one message on stderr, no stack trace or internal error, nothing on stdout. */
function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, message: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/unexpected internal error|\n\s+at /);
}

describe('the CLI refuses bad input to its store commands with a clear message', () => {
  it('refuses a second EXECUTION instead of ignoring it, and replay of an execution and --history at once', () => {
    const { cwd, def } = storeWithOne();
    for (const command of ['history', 'inspect', 'map-runs', 'replay', 'redrive']) {
      expectUsageError(runCli([command, 'ok', 'other'], { cwd }), "stepwise: Name one execution, not 2 ('ok', 'other').");
    }
    expectUsageError(runCli(['fork', 'ok', 'other', '--from', '2'], { cwd }), 'Name one execution, not 2');
    const exported = tempFile('history.json', runCli(['history', 'ok', '--json'], { cwd }).stdout);
    expectUsageError(runCli(['replay', 'ok', '--history', exported, '--definition', def], { cwd }), /either a stored EXECUTION or --history FILE, not both/);
  }, 60_000);

  it('takes event ids, ports and lease lengths in decimal digits only', () => {
    const { cwd } = storeWithOne();
    expectUsageError(runCli(['inspect', 'ok', '--at', '0x3'], { cwd }), "--at takes an event id (a whole number from 1), not '0x3'.");
    expectUsageError(runCli(['inspect', 'ok', '--at', '1e1'], { cwd }), "not '1e1'");
    expectUsageError(runCli(['fork', 'ok', '--from', 'abc'], { cwd }), "--from takes an event id (a whole number from 1), not 'abc'.");
    expectUsageError(runCli(['resume', '--lease-ms', '1e3', '--store', 'memory']), "--lease-ms must be a whole number of milliseconds from 100, not '1e3'.");
    // '' was port 0 (any free port); the unresolvable host keeps the old behaviour from serving forever.
    expectUsageError(runCli(['ui', '--port=', '--host', 'nosuchhost.invalid', '--store', 'memory']), "--port must be a port number (0 to 65535), not ''.");
  }, 60_000);

  it('says a --store that is a file, or whose events.log is a directory, cannot be opened, and leaves the file alone', () => {
    const file = tempFile('not-a-store', 'keep me');
    for (const command of [['list'], ['history', 'x'], ['run', tempFile('def.json', pass)]]) {
      expectUsageError(runCli([...command, '--store', file]), `stepwise: Cannot open the store ${file}: ${file} (or a directory above it) is a file, not a directory.`);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-robust-'));
    fs.mkdirSync(path.join(dir, 'events.log'));
    expectUsageError(runCli(['list', '--store', dir]), `${path.join(dir, 'events.log')} is a directory, not the store's log file.`);
  }, 60_000);

  it('does not create a store to read from: a --store that does not exist is refused, and no .stepwise/ is left behind', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-robust-'));
    for (const command of [['list'], ['history', 'x'], ['inspect', 'x'], ['map-runs', 'x'], ['fork', 'x', '--from', '1'], ['redrive', 'x']]) {
      expectUsageError(runCli([...command, '--store', 'typo/a/b'], { cwd }), 'stepwise: There is no store at typo/a/b: the directory does not exist (run, serve, resume and ui create one).');
    }
    expect(fs.existsSync(path.join(cwd, 'typo'))).toBe(false);
    // Without --store, nothing has run here yet: read as empty.
    const list = runCli(['list'], { cwd });
    expect(list).toMatchObject({ code: 0, stdout: 'no executions\n' });
    expectUsageError(runCli(['history', 'x'], { cwd }), "stepwise: No execution is named 'x' in this store.");
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 60_000);

  it('says where an exported history is not JSON, or holds something that is not an event', () => {
    const def = tempFile('def.json', pass);
    const replay = (name: string, content: string) => runCli(['replay', '--history', tempFile(name, content), '--definition', def]);
    expectUsageError(replay('h.json', '{"events": [\n  {"id": 1,,}\n]}'), /The history is not JSON: .*h\.json:2:12: invalid JSON: expected a property name/);
    expectUsageError(replay('h.json', '[null]'), /h\.json: \/0 is not a history event: expected an object with a numeric "id" and a "type", not null\./);
    expectUsageError(replay('h.json', 'null'), /h\.json holds no history/);
    expectUsageError(replay('h.json', '{"events":[{"id":1,"type":"ExecutionStarted"},{"id":"x","type":"PassStateEntered"}]}'), /h\.json: \/events\/1 is not a history event/);
    expectUsageError(replay('h.json', '{"events":[{"id":2,"type":"ExecutionSucceeded"},{"id":1,"type":"ExecutionStarted"}]}'), /h\.json: a history begins with ExecutionStarted, not ExecutionSucceeded/);
  }, 60_000);

  it('says on which line and column an --input or --input-file is not JSON', () => {
    const { cwd } = storeWithOne();
    // Node 20's JSON.parse gives no position for these, and quoted the text with its newlines.
    expectUsageError(runCli(['fork', 'ok', '--from', '2', '--input', 'not json'], { cwd }), /^stepwise: The execution input in --input is not JSON: .* but found 'not' \(line 1, column 1\)\.\n$/);
    const file = tempFile('input.json', '{\n  "a": 1,\n  "b": tru\n}\n');
    expectUsageError(runCli(['run', tempFile('def.json', pass), '--input-file', file, '--store', 'memory']), /^stepwise: The execution input in .*input\.json is not JSON: .* but found 'tru' \(line 3, column 8\)\.\n$/);
  }, 60_000);

  it('refuses a fork named as a stored execution, leaving that one as it was, and names that make no ARN', () => {
    const { cwd, def } = storeWithOne();
    expect(runCli(['run', def, '--name', 'taken', '--json'], { cwd }).code).toBe(0);
    const before = runCli(['history', 'taken', '--json'], { cwd }).stdout;
    expectUsageError(runCli(['fork', 'ok', '--from', '2', '--name', 'taken', '--json'], { cwd }), /^stepwise: Execution already exists: 'arn:aws:states:[^']*:execution:StateMachine:taken'\n$/);
    expect(runCli(['history', 'taken', '--json'], { cwd }).stdout).toBe(before);
    expectUsageError(runCli(['fork', 'ok', '--from', '2', '--name', 'a:b'], { cwd }), "--name 'a:b' is not a valid execution name");
    expectUsageError(runCli(['run', def, '--name', 'a b', '--store', 'memory']), "--name 'a b' is not a valid execution name");
    expectUsageError(runCli(['run', def, '--name=', '--store', 'memory']), "--name '' is not a valid execution name");
    expectUsageError(runCli(['run', def, '--state-machine-name', 'M/x', '--store', 'memory']), "--state-machine-name 'M/x' is not a valid state machine name");
    // Longer than AWS's 80 characters is taken: mock configs file test cases under such names.
    const long = runCli(['run', def, '--state-machine-name', `machine.${'x'.repeat(100)}`, '--store', 'memory', '--json']);
    expect(long.code).toBe(0);
    expect(JSON.parse(long.stdout).executionArn).toMatch(/:execution:machine\.x{100}:/);
  }, 60_000);
});

describe('stepwise run names the file it cannot use, and why, in words', () => {
  it('a definition that is no object, or an invalid one', () => {
    const text = tempFile('text.txt', 'hello world\n');
    expectUsageError(runCli(['run', text]), `stepwise: ${text}: the definition must be a JSON or YAML object with "StartAt" and "States", not a string.`);
    const typo = tempFile('typo.asl.json', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Nxet: 'B' } } }));
    expectUsageError(runCli(['run', typo]), new RegExp(`^stepwise: ${typo.replace(/[.]/g, '\\.')}: The definition is invalid:\\n  SCHEMA_VALIDATION_FAILED at /States/A: Field 'Nxet' is not supported`));
  });

  it('an input file or mock config that is missing, a directory, or not JSON', () => {
    const def = tempFile('def.json', pass);
    const broken = tempFile('broken.json', '{\n x');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-dir-'));
    expectUsageError(runCli(['run', def, '--input-file', '/no/such/input.json']), 'stepwise: Cannot read the input file /no/such/input.json (no such file).');
    expectUsageError(runCli(['run', def, '--input-file', dir]), `stepwise: Cannot read the input file ${dir} (it is a directory).`);
    expectUsageError(runCli(['run', def, '--input-file', broken]), `stepwise: The execution input in ${broken} is not JSON: expected a property name in double quotes but found 'x' (line 2, column 2).`);
    expectUsageError(runCli(['run', def, '--mock-config', '/no/such/mocks.json']), 'cannot read mock config /no/such/mocks.json (no such file)');
    expectUsageError(runCli(['run', def, '--mock-config', broken]), `mock config ${broken} is not valid JSON: expected a property name in double quotes but found 'x' (line 2, column 2)`);
  });
});

describe('the CLI says what an execution needs and what an ARN names', () => {
  it('a fork of an execution that ran with a test case, without the mock config, names the test case', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-robust-'));
    const example = (file: string) => path.join(__dirname, '../../examples', file);
    const ran = runCli(['run', example('order-pipeline.asl.json'), '--input-file', example('order-pipeline.input.json'), '--state-machine-name', 'OrderPipeline',
      '--mock-config', example('order-pipeline.mocks.json'), '--test-case', 'HappyPath', '--fast-time', '--name', 'mocked', '--json'], { cwd });
    expect(ran.code).toBe(0);
    expectUsageError(runCli(['fork', 'mocked', '--from', '2'], { cwd }), "The execution runs with the mock test case 'HappyPath', but no mock config was loaded: pass the file that holds it with --mock-config FILE");
  }, 30_000);

  it('a state machine ARN where an execution is expected', () => {
    const { cwd } = storeWithOne();
    expectUsageError(runCli(['history', 'arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine'], { cwd }), "is a stateMachine ARN, not an execution's");
    expectUsageError(runCli(['history', 'arn:aws:states:us-east-1:123456789012:execution:StateMachine:nope'], { cwd }), "Execution does not exist in this store: 'arn:aws:states:us-east-1:123456789012:execution:StateMachine:nope'");
  });
});

describe('the CLI on mistyped commands and flags', () => {
  it('prints its version, and refuses an unknown command or option in one line', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
    const v = runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
    const unknown = runCli(['frobnicate']);
    expectUsageError(unknown, /^stepwise: unknown command 'frobnicate' \(the commands: run, validate, .*\)\.\n$/);
    expectUsageError(runCli(['run', 'x.json', '--inptu', '{}']), /^stepwise: Unknown option '--inptu' \(stepwise --help lists each command's options\)\.\n$/);
  });
});

describe('stepwise fork --input', () => {
  it('says when the edited input went unused because no state was entered after the event', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-robust-'));
    const def = tempFile('def.json', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }));
    expect(runCli(['run', def, '--name', 'dup', '--input', '{"x":1}'], { cwd }).code).toBe(0);
    const late = runCli(['fork', 'dup', '--from', '2', '--input', '{"y":2}', '--json'], { cwd });
    expect(late.code).toBe(0);
    expect(JSON.parse(late.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { x: 1 } });
    expect(late.stderr).toBe('stepwise: the edited input was not used: no state was entered after event 2 (it goes to the first state entered after that event; fork from an earlier one).\n');
    const early = runCli(['fork', 'dup', '--from', '1', '--input', '{"y":2}', '--json'], { cwd });
    expect(JSON.parse(early.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { y: 2 } });
    expect(early.stderr).toBe('');
  });
});
