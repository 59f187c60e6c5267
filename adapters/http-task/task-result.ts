import type { JsonValue } from '../../src/asl/json-value.js';
import { StatesErrors } from '../../src/errors/error-names.js';
import { javaHashMapOrder } from '../../src/resources/java-hash-order.js';
import { TaskFailure } from '../../src/resources/task-handlers.js';
import type { HttpResponse } from './send-request.js';

/** `States.Http.StatusCode.<code>`: the error of a response whose status is not 2xx. */
export function statusCodeError(status: number): string {
  return `States.Http.StatusCode.${status}`;
}

/**
 * The task result of a response, as AWS shows it (DG:test-state-isolation, the HTTP Task
 * example): `Headers` (each name as the server wrote it, with the list of its values, in the
 * order of the Java HashMap AWS keeps them in, as recorded against AWS (2026-09)), `ResponseBody`
 * (parsed when the response is JSON, else the text), `StatusCode`, `StatusText`.
 *
 * A 204, and the answer to a HEAD, have no `ResponseBody`. A status outside 2xx fails the task with
 * `States.Http.StatusCode.<code>` and the status text as the cause (the body is not kept). A
 * response whose Content-Type is `application/octet-stream`, `image/*`, `video/*` or `audio/*`
 * (cause: `Unsupported response content-type '<type>'. Please see documentation for list of
 * unsupported content-types.`), or whose body is not valid UTF-8 text, fails it with
 * States.Runtime (DG:call-https-apis, "Unsupported HTTP Task responses").
 */
export function taskResult(response: HttpResponse, stateName: string, method: string): JsonValue {
  if (response.status < 200 || response.status > 299) throw new TaskFailure(statusCodeError(response.status), response.statusText);
  const grouped = new Map<string, string[]>();
  for (const [name, value] of response.headers) {
    const values = grouped.get(name);
    if (values) values.push(value);
    else grouped.set(name, [value]);
  }
  const headers: { [name: string]: string[] } = {};
  for (const name of javaHashMapOrder([...grouped.keys()])) headers[name] = grouped.get(name)!;
  const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  if (media === 'application/octet-stream' || /^(image|video|audio)\//.test(media)) {
    // AWS's words (recorded against AWS (2026-09)).
    throw new TaskFailure(StatesErrors.Runtime, `Unsupported response content-type '${contentType}'. Please see documentation for list of unsupported content-types.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(response.body);
  } catch {
    throw new TaskFailure(StatesErrors.Runtime, `The HTTP Task '${stateName}' got a response it does not support: its body is not valid UTF-8 text (${response.body.length} bytes).`);
  }
  // A 204 (No Content) answer, and a HEAD's (a 200 with Content-Length 0), have no ResponseBody
  // at all (recorded against AWS (2026-09)).
  if (response.status === 204 || method === 'HEAD') return { Headers: headers, StatusCode: response.status, StatusText: response.statusText };
  return { Headers: headers, ResponseBody: responseBody(text, media), StatusCode: response.status, StatusText: response.statusText };
}

function responseBody(text: string, media: string): JsonValue {
  if (media === 'application/json' || media.endsWith('+json')) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}
