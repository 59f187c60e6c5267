import { parseStatesArn } from '../../../src/registry/names.js';
import type { Tag } from '../../../src/registry/registry-types.js';
import type { Action, ApiContext } from '../api-context.js';
import { ApiError } from '../aws-json-protocol.js';

/**
 * Tags apply to state machines (not versions or aliases) and activities. `versions: true`:
 * a version that exists is found too (ListTagsForResource lists none for it, as AWS answered
 * in 2026-09, while TagResource on it was ResourceNotFound).
 */
async function existingResource(arn: string, ctx: ApiContext, options: { versions?: boolean } = {}): Promise<string> {
  const parsed = parseStatesArn(arn, ['stateMachine', 'activity']);
  const found = parsed.resourceType === 'stateMachine'
    ? (parsed.parts.length === 1 || (options.versions === true && parsed.parts.length === 2 && /^[0-9]+$/.test(parsed.parts[1]!))) && (await ctx.runtime.stateMachines.exists(arn))
    : (await ctx.runtime.activities.describe(arn)) !== undefined;
  if (!found) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return arn;
}

const tagResource: Action = async (f, ctx) => {
  const arn = await existingResource(f.string('resourceArn'), ctx);
  const tags = f.list<Tag>('tags');
  // Recorded against AWS (2026-09): a tag key starting "aws:" is the system's.
  if (tags.some((t) => typeof t?.key === 'string' && t.key.toLowerCase().startsWith('aws:'))) {
    throw new ApiError('AccessDeniedException', 'Caller is an end user and not allowed to mutate system tags', 400, 'com.amazon.coral.service');
  }
  await ctx.runtime.stateMachines.tag(arn, tags);
  return {};
};

const untagResource: Action = async (f, ctx) => {
  const arn = await existingResource(f.string('resourceArn'), ctx);
  await ctx.runtime.stateMachines.untag(arn, f.stringList('tagKeys', { max: 128 }));
  return {};
};

const listTagsForResource: Action = async (f, ctx) => {
  const arn = await existingResource(f.string('resourceArn'), ctx, { versions: true });
  return { tags: await ctx.runtime.stateMachines.tagsOf(arn) };
};

export const tagActions: Record<string, Action> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
