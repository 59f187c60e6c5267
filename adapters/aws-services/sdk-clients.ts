import { TaskFailure } from '../../src/resources/task-handlers.js';
import type { SchemaOf, ShapeSchema } from './sdk-shapes.js';

/** Where and as whom the AWS SDK calls go. Nothing here is read from the network until a call is made. */
export interface AwsServiceOptions {
  /** Default: AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
  region?: string;
  /**
   * One endpoint for every service (LocalStack, say), or one per service name as it appears
   * in resource ARNs (`{ lambda: 'http://127.0.0.1:3001' }` for `sam local start-lambda`).
   * Without it the SDK calls AWS itself.
   */
  endpoint?: string | Record<string, string>;
  /**
   * Static credentials or a provider. Default: the SDK's usual credential chain; with an
   * endpoint and no credentials in the environment, placeholder credentials, since local
   * endpoints do not check them and the chain would otherwise probe the instance metadata service.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>);
  /**
   * SDK modules to use instead of importing `@aws-sdk/client-<service>`, by service name
   * (`{ s3: await import('@aws-sdk/client-s3') }`, or a stand-in with the same exports in a test:
   * a `<Name>Client` class with `send(command)` and `<Action>Command` classes).
   */
  sdkModules?: Record<string, object>;
}

/** SDK v3 packages whose name differs from the service name in `arn:aws:states:::aws-sdk:<service>:...`. */
const PACKAGE_NAMES: Record<string, string> = {
  events: 'eventbridge',
  secretsmanager: 'secrets-manager',
  cloudwatchlogs: 'cloudwatch-logs',
  apigateway: 'api-gateway',
  apigatewayv2: 'apigatewayv2',
  elasticloadbalancingv2: 'elastic-load-balancing-v2',
  cognitoidentityprovider: 'cognito-identity-provider',
  costexplorer: 'cost-explorer',
  databasemigration: 'database-migration-service',
  dynamodbstreams: 'dynamodb-streams',
  lexruntimev2: 'lex-runtime-v2',
  sesv2: 'sesv2',
};

export function packageOf(service: string): string {
  return `@aws-sdk/client-${PACKAGE_NAMES[service] ?? service}`;
}

interface SdkModule {
  [name: string]: unknown;
}

interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<Record<string, unknown>>;
}

type Constructor<T> = new (input: unknown) => T;

/** What a call returns beside its output: the HTTP details AWS puts in `SdkHttpMetadata`. */
export interface SdkResponse {
  output: Record<string, unknown>;
  statusCode: number;
  headers: Record<string, string>;
  requestId: string;
}

/** Loads `@aws-sdk/client-*` packages on first use and keeps one client per service. */
export class SdkClients {
  private readonly modules = new Map<string, Promise<SdkModule>>();
  private readonly clients = new Map<string, { client: SdkClient; module: SdkModule; serviceId: string }>();

  constructor(private readonly options: AwsServiceOptions = {}) {}

  /** Calls `action` (camelCase, as in resource ARNs) of `service`; throws the SDK's error as is. */
  async send(service: string, action: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<SdkResponse> {
    const { client, module } = await this.clientFor(service);
    const commandName = action.charAt(0).toUpperCase() + action.slice(1) + 'Command';
    const Command = module[commandName] as Constructor<{ middlewareStack: { add(mw: unknown, options: unknown): void } }> | undefined;
    if (typeof Command !== 'function') {
      throw new TaskFailure('States.Runtime', `${packageOf(service)} has no action '${action}' (no ${commandName}): check the Resource ARN.`);
    }
    const command = new Command(input);
    const raw: { statusCode: number; headers: Record<string, string> } = { statusCode: 0, headers: {} };
    // The SDK keeps the raw response to itself; AWS's results show its status and headers.
    command.middlewareStack.add(
      (next: (args: unknown) => Promise<{ response: { statusCode?: number; headers?: Record<string, string> } }>) => async (args: unknown) => {
        const result = await next(args);
        raw.statusCode = result.response?.statusCode ?? 0;
        raw.headers = { ...(result.response?.headers ?? {}) };
        return result;
      },
      { step: 'deserialize', name: 'stepwiseCaptureResponse' },
    );
    const output = await client.send(command, signal ? { abortSignal: signal } : undefined);
    const metadata = (output.$metadata ?? {}) as { httpStatusCode?: number; requestId?: string };
    const { $metadata: _ignored, ...rest } = output;
    return { output: rest, statusCode: metadata.httpStatusCode ?? raw.statusCode, headers: raw.headers, requestId: metadata.requestId ?? raw.headers['x-amzn-requestid'] ?? '' };
  }

  /**
   * The request and response shapes of `action` from the SDK's schemas (`command.schema`), or
   * undefined when the package has none (older versions, stand-ins in tests).
   */
  async shapesOf(service: string, action: string): Promise<{ input: ShapeSchema; output: ShapeSchema } | undefined> {
    const { module } = await this.clientFor(service);
    const Command = module[action.charAt(0).toUpperCase() + action.slice(1) + 'Command'] as Constructor<{ schema?: unknown }> | undefined;
    if (typeof Command !== 'function') return undefined;
    let schema: unknown;
    try {
      schema = new Command({}).schema;
    } catch {
      return undefined;
    }
    if (!Array.isArray(schema) || schema[0] !== 9) return undefined;
    const of = await schemaLoader();
    if (!of) return undefined;
    try {
      const input = of(schema[4]);
      const output = of(schema[5]);
      return input.isStructSchema() && output.isStructSchema() ? { input, output } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether `e` is one of the errors the service's model declares (an exported exception class of its package). */
  async isModeledError(service: string, e: unknown): Promise<boolean> {
    const { module } = await this.clientFor(service);
    const name = (e as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return false;
    const Class = module[name];
    return typeof Class === 'function' && e instanceof (Class as new () => unknown);
  }

  /** The client class's name without `Client` (`Lambda`, `SQS`, `DynamoDB`): the prefix of AWS's error names. */
  async serviceIdOf(service: string): Promise<string> {
    return (await this.clientFor(service)).serviceId;
  }

  private async clientFor(service: string) {
    const known = this.clients.get(service);
    if (known) return known;
    const module = await this.load(service);
    const entry = Object.entries(module).find(([name, value]) => name.endsWith('Client') && name !== 'Client' && !name.startsWith('__') && typeof value === 'function' && typeof (value as { prototype?: { send?: unknown } }).prototype?.send === 'function');
    if (!entry) throw new TaskFailure('States.Runtime', `${packageOf(service)} exports no service client.`);
    const [className, ClientClass] = entry as [string, Constructor<SdkClient>];
    const client = new ClientClass(this.clientConfig(service));
    const made = { client, module, serviceId: className.slice(0, -'Client'.length) };
    this.clients.set(service, made);
    return made;
  }

  private load(service: string): Promise<SdkModule> {
    let loading = this.modules.get(service);
    const given = this.options.sdkModules?.[service];
    if (!loading && given) this.modules.set(service, (loading = Promise.resolve(given as SdkModule)));
    if (!loading) {
      const pkg = packageOf(service);
      loading = (import(pkg) as Promise<SdkModule>).catch((e: NodeJS.ErrnoException) => {
        this.modules.delete(service);
        if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') {
          throw new TaskFailure('States.Runtime', `Calling '${service}' needs the AWS SDK package ${pkg}, which is not installed: run \`npm install ${pkg}\`.`);
        }
        throw e;
      });
      this.modules.set(service, loading);
    }
    return loading;
  }

  private clientConfig(service: string): Record<string, unknown> {
    const o = this.options;
    const endpoint = typeof o.endpoint === 'string' ? o.endpoint : o.endpoint?.[service];
    const config: Record<string, unknown> = { region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' };
    if (endpoint) config.endpoint = endpoint;
    // Local S3 endpoints (LocalStack, MinIO) take the bucket in the path, not the host name.
    if (endpoint && service === 's3') config.forcePathStyle = true;
    if (o.credentials) config.credentials = o.credentials;
    else if (endpoint && !hasEnvironmentCredentials()) config.credentials = { accessKeyId: 'stepwise-local', secretAccessKey: 'stepwise-local' };
    // One attempt: the Task's Retry is where retries belong.
    config.maxAttempts = 1;
    return config;
  }
}

let schemas: Promise<SchemaOf | undefined> | undefined;

/** `NormalizedSchema.of` from `@smithy/core/schema`, which the SDK clients that carry schemas depend on. */
function schemaLoader(): Promise<SchemaOf | undefined> {
  schemas ??= (import('@smithy/core/schema' as string) as Promise<{ NormalizedSchema?: { of(s: unknown): ShapeSchema } }>).then(
    (m) => (m.NormalizedSchema ? (s: unknown) => m.NormalizedSchema!.of(s) : undefined),
    () => undefined,
  );
  return schemas;
}

function hasEnvironmentCredentials(): boolean {
  const env = process.env;
  return !!(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI);
}
