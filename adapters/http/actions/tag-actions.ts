import { parseStatesArn } from '../../../src/registry/names.js';
import type { Tag } from '../../../src/registry/registry-types.js';
import type { Action, ApiContext } from '../api-context.js';
import { ApiError } from '../aws-json-protocol.js';

/** Tags apply to state machines (not versions or aliases) and activities. */
async function existingResource(arn: string, ctx: ApiContext): Promise<string> {
  const parsed = parseStatesArn(arn, ['stateMachine', 'activity']);
  const found = parsed.resourceType === 'stateMachine'
    ? parsed.parts.length === 1 && (await ctx.runtime.stateMachines.exists(arn))
    : (await ctx.runtime.activities.describe(arn)) !== undefined;
  if (!found) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return arn;
}

const tagResource: Action = async (f, ctx) => {
  const arn = await existingResource(f.string('resourceArn'), ctx);
  await ctx.runtime.stateMachines.tag(arn, f.list<Tag>('tags'));
  return {};
};

const untagResource: Action = async (f, ctx) => {
  const arn = await existingResource(f.string('resourceArn'), ctx);
  await ctx.runtime.stateMachines.untag(arn, f.stringList('tagKeys', { max: 128 }));
  return {};
};

const listTagsForResource: Action = async (f, ctx) => {
  const arn = await existingResource(f.string('resourceArn'), ctx);
  return { tags: await ctx.runtime.stateMachines.tagsOf(arn) };
};

export const tagActions: Record<string, Action> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
