import { createAwsServiceCaller } from '../../adapters/aws-services/index.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { ServiceCaller } from '../resources/service-caller.js';

/** The options `run` (and `serve`) take for real service calls, in `node:util` parseArgs form. */
export const AWS_SERVICE_FLAGS = {
  'aws-endpoint': { type: 'string', multiple: true },
  'aws-region': { type: 'string' },
} as const;

export const AWS_SERVICE_USAGE = `[--aws-endpoint URL | --aws-endpoint SERVICE=URL ...] [--aws-region REGION]`;

/**
 * The service caller the flags ask for, or undefined when neither is given: without them
 * nothing is called over the network. Throws InvalidArgument for an endpoint that is not an
 * http(s) URL.
 */
export function servicesFromFlags(values: { 'aws-endpoint'?: string[] | string; 'aws-region'?: string }): ServiceCaller | undefined {
  const given = values['aws-endpoint'] === undefined ? [] : ([] as string[]).concat(values['aws-endpoint']);
  const region = values['aws-region'];
  if (given.length === 0 && region === undefined) return undefined;
  let endpoint: string | Record<string, string> | undefined;
  for (const item of given) {
    const m = /^([a-z0-9-]+)=(.+)$/.exec(item);
    const url = checkUrl(m ? m[2]! : item);
    if (m) {
      if (typeof endpoint === 'string') throw new StepwiseError('InvalidArgument', `--aws-endpoint: give either one URL for every service or SERVICE=URL pairs, not both ('${item}').`);
      endpoint = { ...(endpoint ?? {}), [m[1]!]: url };
    } else {
      if (endpoint !== undefined) throw new StepwiseError('InvalidArgument', `--aws-endpoint: give either one URL for every service or SERVICE=URL pairs, not both ('${item}').`);
      endpoint = url;
    }
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new StepwiseError('InvalidArgument', `--aws-region: '${region}' is not an AWS region name (like us-east-1).`);
  }
  return createAwsServiceCaller({ ...(endpoint !== undefined ? { endpoint } : {}), ...(region !== undefined ? { region } : {}) });
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StepwiseError('InvalidArgument', `--aws-endpoint: '${text}' is not a URL (expected e.g. http://127.0.0.1:3001).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StepwiseError('InvalidArgument', `--aws-endpoint: '${text}' must be an http:// or https:// URL.`);
  }
  return text;
}
