import type { JsonValue } from '../../asl/json-value.js';
import { selectPathOrThrowRuntime } from '../../asl/json-path.js';
import { applyResultPath } from '../../asl/reference-path.js';
import { evaluatePayloadTemplate } from '../../asl/payload-template.js';
import type { ScopeRuntime } from '../scope-runtime.js';

/**
 * JSONPath-mode input and output processing, in AWS's order (DG:concepts-input-output-filtering):
 * InputPath → Parameters → (task) → ResultSelector → ResultPath → OutputPath.
 * A null InputPath/OutputPath means `{}`; a null ResultPath discards the result.
 */
export function applyInputPath(rt: ScopeRuntime, raw: JsonValue, path: string | null | undefined): JsonValue {
  if (path === undefined || path === '$') return raw;
  if (path === null) return {};
  return selectPathOrThrowRuntime(path, rt.pathContext(raw));
}

export function applyOutputPath(rt: ScopeRuntime, value: JsonValue, path: string | null | undefined): JsonValue {
  if (path === undefined || path === '$') return value;
  if (path === null) return {};
  return selectPathOrThrowRuntime(path, rt.pathContext(value));
}

export function applyParameters(rt: ScopeRuntime, effective: JsonValue, template: JsonValue | undefined, field: string, extra?: Record<string, JsonValue>): JsonValue {
  if (template === undefined) return effective;
  return evaluatePayloadTemplate(template, rt.pathContext(effective, extra), field);
}

export function applyResultSelector(rt: ScopeRuntime, result: JsonValue, template: JsonValue | undefined): JsonValue {
  if (template === undefined) return result;
  return evaluatePayloadTemplate(template, rt.pathContext(result), 'ResultSelector');
}

export function applyResult(raw: JsonValue, resultPath: string | null | undefined, result: JsonValue): JsonValue {
  return applyResultPath(raw, resultPath, result);
}
