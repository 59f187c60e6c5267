import { checkName, parseStatesArn } from '../../../src/registry/names.js';
import { REGISTRY_LIMITS } from '../../../src/registry/state-machine-registry.js';
import type { Action } from '../api-context.js';
import { ApiError, compact, epochSeconds } from '../aws-json-protocol.js';

function activityArnField(f: Parameters<Action>[0]): string {
  const arn = f.string('activityArn', { max: 256 });
  parseStatesArn(arn, ['activity']);
  return arn;
}

const createActivity: Action = async (f, ctx) => {
  const name = checkName(f.name(), 'activity');
  const tags = f.optionalTags();
  const encryptionConfiguration = f.optionalEncryptionConfiguration();
  // Checked before the activity is made: tagging it afterwards refused the tags but kept the activity.
  if (tags && new Set(tags.map((t) => t.key)).size > REGISTRY_LIMITS.tagsPerResource) {
    throw new ApiError('TooManyTags', `Too many tags: a resource has at most ${REGISTRY_LIMITS.tagsPerResource} ('${name}').`);
  }
  const r = await ctx.runtime.activities.create({ name, ...(tags ? { tags } : {}), ...(encryptionConfiguration ? { encryptionConfiguration } : {}) });
  if (tags && tags.length > 0) await ctx.runtime.stateMachines.tag(r.activityArn, tags);
  return { activityArn: r.activityArn, creationDate: epochSeconds(r.creationDate.getTime()) };
};

const describeActivity: Action = async (f, ctx) => {
  const arn = activityArnField(f);
  const a = await ctx.runtime.activities.describe(arn);
  if (!a) throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
  return { activityArn: a.activityArn, name: a.name, creationDate: epochSeconds(a.creationDate.getTime()), encryptionConfiguration: a.encryptionConfiguration };
};

const deleteActivity: Action = async (f, ctx) => {
  const arn = activityArnField(f);
  await ctx.runtime.activities.delete(arn);
  await ctx.runtime.stateMachines.dropTags(arn);
  return {};
};

const listActivities: Action = async (f, ctx) => {
  const page = await ctx.runtime.activities.list(f.page());
  return compact({
    activities: page.activities.map((a) => ({ activityArn: a.activityArn, name: a.name, creationDate: epochSeconds(a.creationDate.getTime()) })),
    nextToken: page.nextToken,
  });
};

/**
 * API:GetActivityTask long-polls up to 60 s, and stops waiting when the worker disconnects;
 * with no task by then it answers with no token, as AWS does.
 */
const getActivityTask: Action = async (f, ctx) => {
  const arn = activityArnField(f);
  const workerName = f.optionalString('workerName', { max: 80 });
  const activities = ctx.runtime.activities;
  if (!(await activities.describe(arn))) throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
  const poll = new AbortController();
  const stop = () => poll.abort();
  const timer = setTimeout(stop, ctx.activityPollMs);
  ctx.signal.addEventListener('abort', stop, { once: true });
  try {
    const task = await activities.getTask(arn, { ...(workerName !== undefined ? { workerName } : {}), signal: poll.signal });
    return task ? { taskToken: task.taskToken, input: task.input } : {};
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', stop);
  }
};

export const activityActions: Record<string, Action> = {
  CreateActivity: createActivity,
  DescribeActivity: describeActivity,
  DeleteActivity: deleteActivity,
  ListActivities: listActivities,
  GetActivityTask: getActivityTask,
};

