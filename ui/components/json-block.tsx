import { useMemo } from 'preact/hooks';
import { pretty } from '../logic/format.js';

const MAX_CHARS = 20000;

/** A labelled JSON value, clipped so that a huge payload cannot stall the page. */
export function JsonBlock({ label, value, testId }: { label: string; value: unknown; testId?: string }) {
  const text = useMemo(() => {
    const full = pretty(value);
    return full.length > MAX_CHARS ? `${full.slice(0, MAX_CHARS)}\n… (${full.length - MAX_CHARS} more characters)` : full;
  }, [value]);
  return (
    <div class="json">
      <h4>{label}</h4>
      <pre data-testid={testId}>{text}</pre>
    </div>
  );
}
