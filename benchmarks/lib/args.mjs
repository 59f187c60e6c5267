/**
 * `--name value` options (and `--flag` alone for booleans) plus positional arguments.
 * `defaults` lists the options accepted; a default of `false` marks a flag.
 */
export function parseArgs(argv, defaults) {
  const options = { ...defaults };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    if (!(name in defaults)) throw new Error(`Unknown option --${name} (known: ${Object.keys(defaults).map((k) => `--${k}`).join(', ')})`);
    if (defaults[name] === false) options[name] = true;
    else if (inline !== undefined) options[name] = inline;
    else if (i + 1 < argv.length) options[name] = argv[++i];
    else throw new Error(`--${name} needs a value`);
  }
  return { positional, options };
}
