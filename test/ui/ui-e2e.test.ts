import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from '../../adapters/ui/ui-server.js';
import { createRuntime, openFileEventStore, type Runtime } from '../../src/index.js';
import { inlineMapHistory, MAP_DEFINITION } from './fixtures/map-history.js';

// Debian's chromium, driven headless with everything that would reach the network switched off
// (this machine has none, and Chromium waits on it otherwise). A missing browser fails the suite.
const CHROMIUM = process.env.STEPWISE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// An artefact of each run (gitignored); docs/ui-execution.png, shown in the README, is a copy of one.
const SCREENSHOT = path.resolve(__dirname, '../../test-artifacts/ui-execution.png');
const definition = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/approval.asl.json'), 'utf8'));

describe('stepwise ui in a real browser', () => {
  let runtime: Runtime;
  let server: UiServer;
  let context: BrowserContext;
  let page: Page;
  let failedArn: string;
  const pageErrors: string[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-ui-e2e-'));
    runtime = createRuntime({ store: await openFileEventStore(path.join(dir, 'store')), limits: { payloadBytes: Infinity, historyEvents: Infinity } });
    runtime.handle({ state: 'WaitForApproval' }, ({ taskToken }) => {
      tokens.push(taskToken!);
      return null;
    });
    const small = await runtime.run({ definition, input: { orderId: 'ord-1', amount: 40 }, stateMachineName: 'Approval', name: 'small-order' });
    expect(small.status).toBe('SUCCEEDED');
    const failed = await runtime.run({ definition, input: { orderId: 'ord-2', amount: 500 }, stateMachineName: 'Approval', name: 'large-order' });
    expect(failed.status).toBe('FAILED');
    failedArn = failed.executionArn;
    server = await startUiServer({ runtime, port: 0 });
    expect(fs.existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium)`).toBe(true);
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.setDefaultTimeout(45000);
  }, 60000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await runtime?.close();
  });

  it('lists the executions with their status', async () => {
    await page.goto(server.url);
    await page.locator('tr[data-status="FAILED"]').getByText('large-order').waitFor();
    await page.locator('tr[data-status="SUCCEEDED"]').getByText('small-order').waitFor();
    await page.selectOption('[data-testid="status-filter"]', 'FAILED');
    expect(await page.locator('tbody tr').count()).toBe(1);
  });

  it('opens a failed execution with the failing state highlighted, scrubs back, reads the input and forks it to success', async () => {
    await page.goto(`${server.url}#/execution/${encodeURIComponent(failedArn)}`);
    await page.locator('[data-state="Reject"][data-status="failed"]').waitFor();
    expect(await page.textContent('[data-testid="execution-status"]')).toBe('FAILED');
    expect(await page.getAttribute('[data-state="Check"]', 'data-status')).toBe('succeeded');
    await expect.poll(() => page.textContent('[data-testid="state-error"]')).toContain('Order.TooLarge');
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // Back with the arrow keys to the moment the Choice state was entered: the failure has not happened yet.
    await page.focus('[data-testid="slider"]');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.textContent('[data-testid="slider-position"]')).toContain('event 4 of 7: ChoiceStateEntered');
    expect(await page.getAttribute('[data-state="Reject"]', 'data-status')).toBe('notReached');
    expect(await page.getAttribute('[data-state="Check"]', 'data-status')).toBe('running');
    await page.click('[data-state="Check"]');
    await expect.poll(async () => JSON.parse((await page.textContent('[data-testid="state-input"]')) ?? 'null')).toEqual({ orderId: 'ord-2', amount: 500, checked: true });

    // Fork from the event before Check was entered, with a smaller amount.
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.textContent('[data-testid="slider-position"]')).toContain('event 3 of 7: PassStateExited');
    await page.check('[data-testid="edit-input"]');
    await page.fill('[data-testid="fork-input"]', '{ "amount": 50,');
    await page.locator('[data-testid="fork-input-error"]').waitFor();
    expect(await page.isDisabled('[data-testid="fork"]')).toBe(true);
    await page.fill('[data-testid="fork-input"]', '{ "orderId": "ord-2", "amount": 50, "checked": true }');
    expect(await page.isDisabled('[data-testid="fork"]')).toBe(false);
    await page.click('[data-testid="fork"]');
    await page.waitForFunction((arn) => location.hash.startsWith('#/execution/') && !location.hash.endsWith(encodeURIComponent(arn)), failedArn);
    await page.locator('[data-testid="execution-status"], [data-testid="load-error"]').first().waitFor();
    expect(await page.locator('[data-testid="load-error"]').count()).toBe(0);
    await expect.poll(() => page.textContent('[data-testid="execution-status"]')).toBe('SUCCEEDED');
    await page.locator('[data-state="Approve"][data-status="succeeded"]').waitFor();
    expect(await page.getAttribute('[data-state="Reject"]', 'data-status')).toBe('notReached');
    // The original is unchanged.
    expect((await runtime.execution(failedArn).describe())!.status).toBe('FAILED');
    expect(pageErrors).toEqual([]);
  }, 120000);

  it('zooms the graph (buttons, keys, Ctrl + wheel about the pointer) and pans it by dragging', async () => {
    await page.goto(`${server.url}#/execution/${encodeURIComponent(failedArn)}`);
    await page.locator('[data-state="Reject"][data-status="failed"]').waitFor();
    const svgWidth = async () => Number(await page.getAttribute('[data-testid="graph"]', 'width'));
    const viewBoxWidth = Number((await page.getAttribute('[data-testid="graph"]', 'viewBox'))!.split(' ')[2]);
    // This small graph fits its pane: it opens at its actual size.
    expect(await page.textContent('[data-testid="zoom-level"]')).toBe('100%');
    expect(await svgWidth()).toBeCloseTo(viewBoxWidth);
    await page.click('[data-testid="zoom-in"]');
    await expect.poll(() => page.textContent('[data-testid="zoom-level"]')).toBe('125%');
    expect(await svgWidth()).toBeCloseTo(viewBoxWidth * 1.25);
    await page.keyboard.press('+');
    await expect.poll(() => page.textContent('[data-testid="zoom-level"]')).toBe('156%');

    // Ctrl + wheel zooms about the pointer: the state under it stays under it (with the graph
    // larger than the pane, so that there is room to scroll either way).
    for (let i = 0; i < 3; i++) await page.click('[data-testid="zoom-in"]');
    await expect.poll(() => page.textContent('[data-testid="zoom-level"]')).toBe('305%');
    const pane = page.locator('[data-testid="graph-pane"]');
    const reject = async () => (await page.locator('[data-state="Reject"] rect').boundingBox())!;
    await page.locator('[data-state="Reject"]').scrollIntoViewIfNeeded();
    const before = await reject();
    const at = { x: before.x + before.width / 2, y: before.y + before.height / 2 };
    await page.mouse.move(at.x, at.y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await expect.poll(() => page.textContent('[data-testid="zoom-level"]')).toBe('381%');
    // The level shows before the pane has scrolled to keep the point in place (a frame later on
    // a busy machine): wait for the scroll.
    const offCentre = async () => {
      const r = await reject();
      return Math.max(Math.abs(r.x + r.width / 2 - at.x), Math.abs(r.y + r.height / 2 - at.y));
    };
    await expect.poll(offCentre).toBeLessThan(3);
    const after = await reject();
    expect(after.width / before.width).toBeCloseTo(1.25, 1);

    // Dragging the background pans; the drag's closing click neither selects nor deselects.
    const scroll = () => pane.evaluate((el) => ({ left: el.scrollLeft, top: el.scrollTop }));
    await pane.evaluate((el) => { el.scrollLeft = 400; el.scrollTop = 300; });
    const box = (await pane.boundingBox())!;
    const start = { x: box.x + 20, y: box.y + box.height - 20 };
    const selectedBefore = await page.textContent('[data-testid="state-error"]');
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 60, start.y - 40, { steps: 5 });
    await page.mouse.move(start.x + 150, start.y - 100, { steps: 5 });
    await page.mouse.up();
    expect(await scroll()).toEqual({ left: 250, top: 400 });
    expect(await page.textContent('[data-testid="state-error"]')).toBe(selectedBefore);

    // Fit (button or 0) shows the whole graph again.
    await page.keyboard.press('0');
    await expect.poll(svgWidth).toBeLessThanOrEqual(await pane.evaluate((el) => el.clientWidth));
    await page.click('[data-testid="zoom-reset"]');
    await expect.poll(() => page.textContent('[data-testid="zoom-level"]')).toBe('100%');
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('shows a Distributed Map\'s Map Run with its child executions, and opens one', async () => {
    runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:ship', ({ input }) => {
      if (input === 'lost') throw Object.assign(new Error('parcel lost'), { name: 'Parcel.Lost' });
      return { shipped: input };
    });
    const fan = {
      StartAt: 'Ship',
      States: {
        Ship: {
          Type: 'Map', Label: 'Parcels', ToleratedFailureCount: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:ship', End: true } } },
          End: true,
        },
      },
    };
    const parent = await runtime.run({ definition: fan, input: ['a', 'lost', 'c'], stateMachineName: 'Shipping', name: 'parcels' });
    expect(parent.status).toBe('SUCCEEDED');
    await page.goto(`${server.url}#/execution/${encodeURIComponent(parent.executionArn)}`);
    // The Map's own corner: its middle is its ItemProcessor's state.
    await page.click('[data-state="Ship"]', { position: { x: 12, y: 8 } });
    await expect.poll(() => page.textContent('[data-testid="map-run-counts"]')).toContain('3 child executions: 2 succeeded, 1 failed');
    expect(await page.locator('[data-testid="map-run-child"]').count()).toBe(3);
    // Failed first: the first link opens the child that failed, a execution of Shipping/Parcels.
    await page.locator('[data-testid="map-run-child"]').first().click();
    await expect.poll(() => page.textContent('[data-testid="execution-status"]')).toBe('FAILED');
    expect(await page.textContent('.summary')).toContain('Shipping/Parcels');
    await page.locator('[data-state="Send"][data-status="failed"]').waitFor();
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('redrives a parent whose Map Run failed: the same Map Run, redriven, its children all succeeded', async () => {
    let lost = true;
    runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:deliver', ({ input }) => {
      if (lost && input === 'lost') throw Object.assign(new Error('parcel lost'), { name: 'Parcel.Lost' });
      return { delivered: input };
    });
    const fan = {
      StartAt: 'Deliver',
      States: {
        Deliver: {
          Type: 'Map', Label: 'Parcels',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:deliver', End: true } } },
          End: true,
        },
      },
    };
    const parent = await runtime.run({ definition: fan, input: ['a', 'lost'], stateMachineName: 'Delivery', name: 'parcels' });
    expect(parent.status).toBe('FAILED');
    lost = false;
    await page.goto(`${server.url}#/execution/${encodeURIComponent(parent.executionArn)}`);
    await page.click('[data-testid="redrive"]');
    await expect.poll(() => page.textContent('[data-testid="execution-status"]')).toBe('SUCCEEDED');
    await page.click('[data-state="Deliver"]', { position: { x: 12, y: 8 } });
    await expect.poll(() => page.textContent('[data-testid="map-run-counts"]')).toContain('2 child executions: 2 succeeded, 0 failed');
    expect(await page.textContent('[data-testid="map-run-redrives"]')).toBe('redriven 1 time');
    expect(await page.locator('[data-testid="map-run"]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('replays against a changed definition with the divergence highlighted, and redrives', async () => {
    await page.goto(`${server.url}#/execution/${encodeURIComponent(failedArn)}`);
    await page.locator('[data-state="Reject"][data-status="failed"]').waitFor();
    const changed = { ...definition, States: { ...definition.States, Prepare: { Type: 'Wait', Seconds: 1, Next: 'Check' } } };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-ui-def-')), 'changed.asl.json');
    fs.writeFileSync(file, JSON.stringify(changed));
    await page.setInputFiles('[data-testid="replay-file"]', file);
    await page.click('[data-testid="replay"]');
    await expect.poll(() => page.textContent('[data-testid="action-message"]')).toContain('Diverged at event 2');
    await page.locator('.event.diverged[data-event-id="2"]').waitFor();
    await page.click('[data-testid="redrive"]');
    // The redrive fails the Fail state again (not entered again, as AWS records it): the new events arrive on the open page.
    await page.locator('[data-event-id="8"]').filter({ hasText: 'ExecutionRedriven' }).waitFor();
    // The slider stays where the replay put it (at the divergence) while the history grows.
    await expect.poll(() => page.textContent('[data-testid="slider-position"]')).toBe('event 2 of 9: PassStateEntered');
    await page.locator('[data-event-id="9"]').filter({ hasText: 'ExecutionFailed' }).waitFor();
    expect(pageErrors).toEqual([]);
  }, 120000);

  it('follows a running execution live, and the list sees executions start and end', async () => {
    await page.goto(server.url);
    await page.locator('tbody tr').first().waitFor();
    const waiting = {
      StartAt: 'WaitForApproval',
      States: { WaitForApproval: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'approve', 'token.$': '$$.Task.Token' }, End: true } },
    };
    const running = runtime.startExecution({ definition: waiting, input: {}, stateMachineName: 'Approval', name: 'awaiting-approval' });
    await page.locator('tr[data-status="RUNNING"]').getByText('awaiting-approval').click();
    await page.locator('[data-state="WaitForApproval"][data-status="running"]').waitFor();
    expect(await page.textContent('[data-testid="execution-status"]')).toBe('RUNNING');
    await expect.poll(() => tokens.length).toBe(1);
    runtime.sendTaskSuccess(tokens[0]!, { approved: true });
    await running.done;
    // Pushed to the page, no reload.
    await page.locator('[data-state="WaitForApproval"][data-status="succeeded"]').waitFor();
    await expect.poll(() => page.textContent('[data-testid="execution-status"]')).toBe('SUCCEEDED');
    await page.goBack();
    await page.locator('tr[data-status="SUCCEEDED"]').getByText('awaiting-approval').waitFor();
  }, 120000);

  it('renders and scrubs a 10,000-item Map (40,000 events) and opens one iteration', async () => {
    const phaseStarted = Date.now();
    // Written directly (see fixtures/map-history.ts): running a 10,000-item Map would only slow the test.
    const events = inlineMapHistory(10000);
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:Catalogue:map-10k';
    await runtime.store.append(arn, events, { expectedRevision: 0 });
    await runtime.store.putMetadata({
      executionArn: arn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Catalogue', name: 'map-10k', status: 'SUCCEEDED',
      startDate: events[0]!.timestamp, stopDate: events.at(-1)!.timestamp, extra: { definition: MAP_DEFINITION, input: [], stateMachineName: 'Catalogue' },
    });
    const generatedMs = Date.now() - phaseStarted;
    const loadStarted = Date.now();
    await page.goto(`${server.url}#/execution/${encodeURIComponent(arn)}`);
    await page.locator('[data-state="Price"][data-status="succeeded"]').waitFor({ timeout: 90000 });
    const loadMs = Date.now() - loadStarted;
    // 20 jumps across the whole history, each drawn before the next: the page never stalls on one.
    const scrub = await page.evaluate(async () => {
      const slider = document.querySelector<HTMLInputElement>('[data-testid="slider"]')!;
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const max = Number(slider.max);
      const frames: number[] = [];
      for (let k = 1; k <= 20; k++) {
        const started = performance.now();
        setValue.call(slider, String((k * 7919) % max));
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        frames.push(performance.now() - started);
      }
      frames.sort((a, b) => a - b);
      return { max, median: frames[10]!, worst: frames[19]! };
    });
    expect(scrub.max).toBe(40005);
    console.log(`10,000-item Map: history stored in ${generatedMs} ms; page ready in ${loadMs} ms; scrub frame median ${scrub.median.toFixed(0)} ms, worst ${scrub.worst.toFixed(0)} ms`);
    await expect.poll(() => page.textContent('[data-testid="slider-position"]')).toContain(`event ${(20 * 7919) % 40005 + 1} of 40006`);
    // The way into one iteration: its own events and its own states' colours.
    await page.click('[data-state="Items"]', { position: { x: 12, y: 8 } });
    await page.fill('[data-testid="map-iterations"] input', '7000');
    await page.click('[data-testid="map-iterations"] button[type="submit"]');
    await expect.poll(() => page.locator('[data-testid="event-list"] [data-event-id]').count()).toBe(4);
    expect(await page.textContent('.history-head')).toContain('History of iteration 7000');
    expect(pageErrors).toEqual([]);
  }, 180000);
});
