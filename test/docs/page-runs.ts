import { rmSync } from 'node:fs';
import type { DocBlock } from './doc-blocks.js';
import { DemoSession, firstStart, type BlockRun } from './demo-session.js';
import { checkReadmeForm } from './readme-form.js';

/** One step of a page: a block, or the README's form steps checked in a browser. */
export type Step = { kind: 'block'; block: DocBlock } | { kind: 'form' };

/** How a step went: its run, or the error that stopped it. */
export interface StepOutcome {
  run?: BlockRun;
  error?: unknown;
}

export interface Page {
  file: string;
  steps: Step[];
  /** Start from a copy that has been through the first part of `npm start` (see `firstStart`). */
  started: boolean;
}

/** Where a page's step outcomes will arrive, in step order. */
export type PageOutcomes = Promise<StepOutcome>[];

interface Deferred {
  promise: Promise<StepOutcome>;
  settle(o: StepOutcome): void;
}

function deferred(): Deferred {
  let settle!: (o: StepOutcome) => void;
  const promise = new Promise<StepOutcome>((r) => (settle = r));
  return { promise, settle };
}

/** What a step costs, roughly: a process start per CLI command or demo start. */
function cost(page: Page): number {
  return page.steps.reduce((n, s) => n + (s.kind === 'form' ? 3 : 1 + (s.block.script.match(/\bwriteback\b|\bnpm start\b/g)?.length ?? 0)), 0);
}

/**
 * Run the pages in `lanes` parallel lanes (each page in its own session; a lane's pages one
 * after the other), balanced by cost, and hand out each step's outcome as soon as it is known.
 * On 2 cores this halves the wall time of the docs test when the machine is otherwise idle.
 */
export function runPages(pages: Page[], lanes: number): { outcomes: Map<string, PageOutcomes>; done: Promise<void> } {
  const slots = new Map(pages.map((p) => [p.file, p.steps.map(() => deferred())]));
  const assigned: Page[][] = Array.from({ length: lanes }, () => []);
  const load = new Array<number>(lanes).fill(0);
  for (const page of [...pages].sort((a, b) => cost(b) - cost(a))) {
    const lane = load.indexOf(Math.min(...load));
    assigned[lane]!.push(page);
    load[lane]! += cost(page);
  }
  let template: Promise<string | undefined> | undefined;
  const runLane = async (lanePages: Page[]) => {
    for (const page of lanePages) await runPage(page, slots.get(page.file)!, () => (template ??= firstStart()));
  };
  const done = Promise.all(assigned.map(runLane)).then(async () => {
    const dir = await template;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { outcomes: new Map([...slots].map(([f, d]) => [f, d.map((x) => x.promise)])), done };
}

async function runPage(page: Page, slots: Deferred[], template: () => Promise<string | undefined>): Promise<void> {
  let session: DemoSession | undefined;
  let i = 0;
  try {
    session = await DemoSession.start(page.started ? { started: await template() } : {});
    for (; i < page.steps.length; i++) slots[i]!.settle(await runStep(session, page.steps[i]!));
  } catch (error) {
    for (; i < page.steps.length; i++) slots[i]!.settle({ error });
  } finally {
    await session?.close();
  }
}

async function runStep(session: DemoSession, step: Step): Promise<StepOutcome> {
  if (step.kind === 'form') {
    try {
      await checkReadmeForm(session.port);
      return {};
    } catch (error) {
      return { error };
    }
  }
  return { run: await session.run(step.block.script) };
}
