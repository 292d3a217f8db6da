import type { StackHandle } from './stack-process';

export type Metric = number | string | boolean | null;

export interface ScenarioRow {
  /** e.g. "ours", "socket.io", "polling 30 s". */
  system: string;
  /** e.g. "N=100". */
  variant?: string;
  metrics: Record<string, Metric>;
}

export interface ScenarioResult {
  rows: ScenarioRow[];
  /** Target from the issues, with whether it was met, e.g. "p99 ≤ 50 ms: met (12.3 ms)". */
  targets?: string[];
  notes?: string[];
}

export interface ScenarioContext {
  stack: StackHandle;
  /** Scenario must finish (or cut itself short) before this epoch ms. */
  deadline: number;
  quick: boolean;
  log: (line: string) => void;
}

export interface Scenario {
  id: string;
  title: string;
  /** Upper bound in ms the runner gives this scenario. */
  budgetMs: number;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}
