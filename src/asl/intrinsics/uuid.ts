import type { IntrinsicFunction } from './intrinsic-types.js';

export const uuid: IntrinsicFunction = {
  name: 'States.UUID',
  params: [],
  returns: 'string',
  evaluate: (_args, env) => env.random.uuid(),
};
