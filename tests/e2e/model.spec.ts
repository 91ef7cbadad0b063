// SPDX-License-Identifier: EUPL-1.2
// Model-based: the flow itself (xstate/graph createTestModel) says how to reach each end of the
// conversation the shortest way; each such path is walked in the browser, with and without JavaScript,
// and every state on it is checked on the page.
import { expect, test, type Page } from '@playwright/test';
import { createTestModel } from 'xstate/graph';
import { residentFlow, type ResidentEvent } from '../../flows/resident.ts';
import { STATE_NAMES, type StateName } from '../../src/lib/conversation.ts';
import { eventsFor } from '../../src/lib/flow-events.ts';
import { waitForHydration } from '../support/hydration.ts';
import { municipality } from '../support/strings.ts';

/** The ends a resident can reach with a working network: a sent request (with or without the optional questions) or doing it alone. */
const ENDS: StateName[] = ['done', 'thanks', 'selfDone'];
// Every event a resident (or the page) can cause on a step; the shortest ways use only those that move on.
const model = createTestModel(residentFlow, {
  events: (snapshot) => eventsFor(snapshot.value as StateName),
  serializeState: (snapshot) => String(snapshot.value),
  input: {},
});
const paths = model.getShortestPaths({ allowDuplicatePaths: true }).filter((p) => ENDS.includes(p.state.value as StateName));

function executors(page: Page) {
  const step = page.locator('form.step');
  const submit = () => step.locator('button[name="event"][value="ANSWER"]').click();
  return {
    CHOOSE: async ({ event }: { event: ResidentEvent }) => {
      if (event.type === 'CHOOSE') await step.locator(`button[name="answer"][value="${event.value}"]`).click();
    },
    CHOOSE_MANY: async ({ event }: { event: ResidentEvent }) => {
      if (event.type !== 'CHOOSE_MANY') return;
      for (const v of event.values) await step.locator(`input[type="checkbox"][value="${v}"]`).check();
      await submit();
    },
    ENTER: async ({ event }: { event: ResidentEvent }) => {
      if (event.type !== 'ENTER') return;
      await step.locator('input[name="answer"]:not([type="hidden"])').fill(event.value);
      await submit();
    },
    NEXT: () => step.locator('button[name="event"][value="NEXT"]').click(),
    MORE: () => step.locator('button[name="event"][value="MORE"]').click(),
    FINISH: () => step.locator('button[name="event"][value="FINISH"]').click(),
    EDIT: () => step.locator('button[name="event"][value="EDIT"]').click(),
    // the page sends the request by itself once consent is given
    SENT: async () => {},
  };
}

function stateChecks(page: Page) {
  const states: Record<string, () => Promise<void>> = {};
  for (const name of STATE_NAMES) {
    states[name] = async () => {
      // "sending" lasts as long as the request is on its way: the next screen may already be there
      const shown = name === 'sending' ? 'form.step:is([data-step="sending"], [data-step="done"])' : `form.step[data-step="${name}"]`;
      await expect(page.locator(shown), `${name} is on the page`).toBeVisible();
    };
  }
  return states;
}

test('the flow reaches every end the shortest way, and those ways are few and short', () => {
  expect(paths.map((p) => p.state.value).sort()).toEqual([...ENDS].sort());
  for (const p of paths) expect(p.steps.length, String(p.state.value)).toBeLessThanOrEqual(18);
});

for (const js of [true, false]) {
  test.describe(js ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled: js, serviceWorkers: 'block' });
    for (const path of paths) {
      const way = path.steps.map((s) => s.event.type).filter((t) => !t.startsWith('xstate.')).join(' → ');
      test(`the shortest way to ${String(path.state.value)}: ${way}`, async ({ page }) => {
        await page.goto(`/${municipality.slug}/nl/`);
        if (js) await waitForHydration(page);
        await path.test({ states: stateChecks(page), events: executors(page) as never });
      });
    }
  });
}
