// What a TestRunRequest asks for, as jobs: a test runs whole (its trigger produces the whole trace) but reports only
// on the items that were asked for; a suite step runs its suite (steps feed each other) and reports on that step.
import type * as vscode from 'vscode';
import type { TestKey } from '../run-store';
import type { TestTree } from './tree';

export interface TestJob {
  kind: 'test';
  path: string;
  key: TestKey;
  /** Set when the test itself is reported on. */
  item?: vscode.TestItem;
  specItems: Map<number, vscode.TestItem>;
}

export interface SuiteJob {
  kind: 'suite';
  path: string;
  key: TestKey;
  item?: vscode.TestItem;
  stepItems: Map<number, vscode.TestItem>;
}

export interface BrokenJob {
  kind: 'broken';
  item: vscode.TestItem;
  message: string;
}

export type Job = TestJob | SuiteJob | BrokenJob;

export function planJobs(tree: TestTree, request: Pick<vscode.TestRunRequest, 'include' | 'exclude'>): Job[] {
  const excluded = new Set(request.exclude ?? []);
  const jobs = new Map<string, Job>();
  const order: Job[] = [];
  const jobFor = <J extends Job>(id: string, make: () => J): J => {
    let job = jobs.get(id);
    if (!job) {
      jobs.set(id, (job = make()));
      order.push(job);
    }
    return job as J;
  };
  const children = (item: vscode.TestItem) => {
    const out: vscode.TestItem[] = [];
    item.children.forEach((c) => {
      if (!excluded.has(c)) out.push(c);
    });
    return out;
  };
  const add = (item: vscode.TestItem): void => {
    if (excluded.has(item)) return;
    const data = tree.dataOf(item);
    if (!data) return;
    switch (data.kind) {
      case 'file':
        children(item).forEach(add);
        return;
      case 'broken':
        jobFor(item.id, () => ({ kind: 'broken', item, message: data.message }));
        return;
      case 'test': {
        const job = jobFor<TestJob>(`${data.path}#${data.key}`, () => ({ kind: 'test', path: data.path, key: data.key, specItems: new Map() }));
        job.item = item;
        for (const c of children(item)) {
          const d = tree.dataOf(c);
          if (d?.kind === 'spec') job.specItems.set(d.specIndex, c);
        }
        return;
      }
      case 'spec': {
        const job = jobFor<TestJob>(`${data.path}#${data.key}`, () => ({ kind: 'test', path: data.path, key: data.key, specItems: new Map() }));
        job.specItems.set(data.specIndex, item);
        return;
      }
      case 'suite': {
        const job = jobFor<SuiteJob>(`${data.path}#${data.key}`, () => ({ kind: 'suite', path: data.path, key: data.key, stepItems: new Map() }));
        job.item = item;
        for (const c of children(item)) {
          const d = tree.dataOf(c);
          if (d?.kind === 'step') job.stepItems.set(d.stepIndex, c);
        }
        return;
      }
      case 'step': {
        const job = jobFor<SuiteJob>(`${data.path}#${data.key}`, () => ({ kind: 'suite', path: data.path, key: data.key, stepItems: new Map() }));
        job.stepItems.set(data.stepIndex, item);
        return;
      }
    }
  };
  for (const item of request.include ?? tree.fileItems()) add(item);
  return order;
}

/** Every item a job reports on, for `enqueued` / `started` / `skipped`. */
export function reportedItems(job: Job): vscode.TestItem[] {
  if (job.kind === 'broken') return [job.item];
  const children = job.kind === 'test' ? job.specItems : job.stepItems;
  return [...(job.item ? [job.item] : []), ...children.values()];
}
