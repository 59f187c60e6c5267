/**
 * The rxjs pieces Stepwise uses, from their own modules. rxjs's package root in Node is its
 * CommonJS build, whose index requires every operator: some 300 modules and 1.7 MB of heap that
 * every process embedding Stepwise would carry (and every full garbage collection mark again)
 * for the five names below. `rxjs/internal/*` is an export rxjs 7 declares; its modules are the
 * very files the root's index re-exports, so these are the same classes a user's `rxjs` holds.
 */
export { Observable } from 'rxjs/internal/Observable';
export { Subject } from 'rxjs/internal/Subject';
export { defer } from 'rxjs/internal/observable/defer';
export { filter } from 'rxjs/internal/operators/filter';
export { map } from 'rxjs/internal/operators/map';
