import { useEffect, useState } from 'preact/hooks';
import type { ReplayReport } from '../../src/execution/execution-journal.js';
import { api } from '../api.js';
import { parseJsonInput } from '../logic/json-input.js';

interface Props {
  arn: string;
  eventId: number;
  /** The input the first state after this event would get: the starting point for editing. */
  suggestedInput: unknown;
  canRedrive: boolean;
  onOpen(arn: string): void;
  onReplay(report: ReplayReport): void;
}

/** Fork, Redrive and Replay: the only controls that start anything. */
export function Actions({ arn, eventId, suggestedInput, canRedrive, onOpen, onReplay }: Props) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [definition, setDefinition] = useState('');

  useEffect(() => {
    if (!editing) setText(JSON.stringify(suggestedInput ?? {}, null, 2));
  }, [suggestedInput, editing]);

  const parsed = editing ? parseJsonInput(text) : undefined;
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await action();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="actions">
      <div class="action">
        <label><input type="checkbox" checked={editing} onChange={(e) => setEditing((e.target as HTMLInputElement).checked)} data-testid="edit-input" /> edit the input</label>
        {editing && <textarea rows={6} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-testid="fork-input" spellcheck={false} />}
        {parsed && !parsed.ok && <p class="error" data-testid="fork-input-error">{parsed.message}</p>}
        <button disabled={busy || (parsed !== undefined && !parsed.ok)} data-testid="fork" onClick={() => run(async () => {
          const { executionArn } = await api.fork(arn, eventId, parsed?.ok ? parsed.value : undefined);
          onOpen(executionArn);
        })}>Fork from event {eventId}</button>
      </div>
      <div class="action">
        <button disabled={busy || !canRedrive} data-testid="redrive" title={canRedrive ? 'Continue from the failed state' : 'Only FAILED, TIMED_OUT and ABORTED executions can be redriven'}
          onClick={() => run(async () => {
            await api.redrive(arn);
            setMessage({ kind: 'ok', text: 'Redriven: the new events follow below.' });
          })}>Redrive</button>
      </div>
      <div class="action">
        <input type="file" accept=".json,.asl.json,application/json" data-testid="replay-file" onChange={async (e) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) setDefinition(await file.text());
        }} />
        <button disabled={busy || definition === ''} data-testid="replay" onClick={() => run(async () => {
          const report = await api.replay(arn, definition);
          onReplay(report);
          setMessage(report.ok
            ? { kind: 'ok', text: `Replay OK: ${report.replayedEvents} events replayed identically.` }
            : { kind: 'error', text: `Diverged at event ${report.divergence!.eventId}: ${report.divergence!.reason}` });
        })}>Replay against definition</button>
      </div>
      {message && <p class={message.kind} data-testid="action-message">{message.text}</p>}
    </section>
  );
}
