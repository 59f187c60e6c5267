import type { JsonValue, StateMachineDefinition } from '../../../src/index.js';

/** A stand-in for `@aws-sdk/client-s3` given as `sdkModules`, so that no test needs the package or reaches the network. */
export interface Sent { command: string; input: Record<string, unknown> }

/** A fake S3 module: a client whose `send` answers from `answer`, and the command classes it needs. */
export function fakeS3(answer: (command: string, input: Record<string, unknown>) => Record<string, unknown>) {
  const sent: Sent[] = [];
  class Command {
    readonly middlewareStack = { add() {} };
    constructor(readonly input: Record<string, unknown>) {}
  }
  class ListObjectsV2Command extends Command {}
  class GetObjectCommand extends Command {}
  class S3Client {
    constructor(readonly config: unknown) {}
    async send(command: Command) {
      const name = command.constructor.name;
      sent.push({ command: name, input: command.input });
      return { $metadata: { httpStatusCode: 200, requestId: 'req' }, ...answer(name, command.input) };
    }
  }
  return { sent, module: { S3Client, ListObjectsV2Command, GetObjectCommand } };
}

/** A Distributed Map over what `reader` reads, each item passed through as it is. */
export const readerMap = (reader: JsonValue): StateMachineDefinition => ({
  StartAt: 'Read',
  States: {
    Read: {
      Type: 'Map', End: true, ItemReader: reader,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
    },
  },
} as StateMachineDefinition);
