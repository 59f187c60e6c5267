export { createAwsServiceCaller } from './aws-service-caller.js';
export { SdkClients, packageOf } from './sdk-clients.js';
export type { AwsServiceOptions, SdkResponse } from './sdk-clients.js';
export { serviceFailure } from './aws-errors.js';
