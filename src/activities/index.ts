export { Activities } from './activities.js';
export type { ActivitiesOptions, ActivityDispatcher, ActivityWork, ActivityWorkFunction, ActivityWorker, TaskCompletion } from './activities.js';
export { ActivityRegistry, ACTIVITY_STREAM } from './activity-registry.js';
export type { ActivityDescription, ActivityTag } from './activity-registry.js';
export { ActivityTaskQueue } from './activity-queue.js';
export type { ActivityTask, ActivityTaskGrant } from './activity-queue.js';
