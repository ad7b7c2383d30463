/**
 * The investigation trail: every run and pivot of a hunt, in order, with the
 * step each pivot came from. Pure, so serialization and navigation are
 * unit-tested without VS Code. Results are not part of a step: they stay in
 * memory with the trail view and are lost on reload.
 */
import type { FlaggedEntity } from '../pivots/entities';
import { isPivotKind, type PivotKind } from '../pivots/pivotQuery';

/** Version of the serialized form, raised when a field changes meaning. */
export const TRAIL_FORMAT_VERSION = 1;

export interface TrailStep {
  /** Unique within the trail, such as `s3`. */
  id: string;
  kind: 'run' | 'pivot';
  /** The query's title: its hunt's title, else its first descriptive comment, else its first line of code. */
  title: string;
  query: string;
  /** Hunt parameters a pivot filled, by name. */
  parameters?: Record<string, string | number>;
  huntId?: string;
  /** Target label of the run, such as `Log Analytics workspace "Contoso SOC" (…)`. Absent for a pivot not run yet. */
  target?: string;
  /** ISO 8601 instant of the run, or of the pivot when it has not run. */
  time: string;
  /** The run's status; a cancelled run is a Failure whose error code is `Cancelled`. */
  status?: 'Success' | 'PartialFailure' | 'Failure';
  rowCount?: number;
  /** Why a run failed or is partial: the error code and message as the run reported them. */
  error?: { code: string; message: string };
  /** The service's request id of the run, for a support case. */
  requestId?: string;
  /** For a run on local data: the ISO 8601 instant that now() and ago() counted from. */
  referenceTime?: string;
  /** For a pivot: the step, the entity and the kind of pivot it came from. */
  source?: { stepId?: string; entity: FlaggedEntity; pivot: PivotKind };
  /** The document the query was opened in, as a URI string. */
  documentUri?: string;
  /** Saved evidence files of the step's result, as URI strings, added by Save as Evidence. */
  evidence?: string[];
}

export interface SerializedTrail {
  version: number;
  steps: TrailStep[];
  current: number;
  nextId: number;
}

export class Trail {
  private steps: TrailStep[] = [];
  /** Index of the selected step, -1 when the trail is empty. */
  private current = -1;
  private nextId = 1;

  get all(): readonly TrailStep[] {
    return this.steps;
  }

  get currentStep(): TrailStep | undefined {
    return this.steps[this.current];
  }

  /**
   * Adds a step at its place in time, after every step that is not later,
   * makes it current and returns it with its id. A run is recorded when it
   * finishes, so a long run lands before runs that started after it.
   */
  add(step: Omit<TrailStep, 'id'>): TrailStep {
    const added: TrailStep = { id: `s${this.nextId++}`, ...step };
    this.insertInTimeOrder(added);
    this.current = this.steps.indexOf(added);
    return added;
  }

  /** Changes the fields of a step in place, moving it when its time changes; returns undefined when the id is unknown. */
  update(id: string, changes: Partial<Omit<TrailStep, 'id'>>): TrailStep | undefined {
    const step = this.find(id);
    if (!step) {
      return undefined;
    }
    Object.assign(step, changes);
    if (changes.time !== undefined) {
      const currentStep = this.currentStep;
      this.steps.splice(this.steps.indexOf(step), 1);
      this.insertInTimeOrder(step);
      this.current = currentStep ? this.steps.indexOf(currentStep) : -1;
    }
    return step;
  }

  /** Inserts after the last step whose time is not later; a time that does not parse goes to the end. */
  private insertInTimeOrder(step: TrailStep): void {
    const time = Date.parse(step.time);
    const later = Number.isNaN(time) ? -1 : this.steps.findIndex((other) => Date.parse(other.time) > time);
    if (later < 0) {
      this.steps.push(step);
    } else {
      this.steps.splice(later, 0, step);
    }
  }

  find(id: string): TrailStep | undefined {
    return this.steps.find((step) => step.id === id);
  }

  /** Steps whose source is the given step, or the root steps for undefined. */
  childrenOf(id: string | undefined): TrailStep[] {
    return this.steps.filter((step) => (id === undefined ? !this.hasKnownSource(step) : step.source?.stepId === id));
  }

  /** Makes a step current; returns false when the id is unknown. */
  select(id: string): boolean {
    const index = this.steps.findIndex((step) => step.id === id);
    if (index >= 0) {
      this.current = index;
    }
    return index >= 0;
  }

  /** Moves to the previous step in time; returns it, or undefined at the start. */
  back(): TrailStep | undefined {
    if (this.current <= 0) {
      return undefined;
    }
    this.current--;
    return this.steps[this.current];
  }

  /** Moves to the next step in time; returns it, or undefined at the end. */
  forward(): TrailStep | undefined {
    if (this.current >= this.steps.length - 1) {
      return undefined;
    }
    this.current++;
    return this.steps[this.current];
  }

  clear(): void {
    this.steps = [];
    this.current = -1;
  }

  toJSON(): SerializedTrail {
    return { version: TRAIL_FORMAT_VERSION, steps: this.steps, current: this.current, nextId: this.nextId };
  }

  /**
   * Restores a trail from its serialized form. Throws an Error that names the
   * problem when the value is not a trail of this version; steps with invalid
   * fields are rejected, never half-read.
   */
  static fromJSON(value: unknown): Trail {
    if (typeof value !== 'object' || value === null) {
      throw new Error('Invalid investigation trail: expected an object.');
    }
    const data = value as Partial<SerializedTrail>;
    if (data.version !== TRAIL_FORMAT_VERSION) {
      throw new Error(`Invalid investigation trail: version ${String(data.version)} is not ${TRAIL_FORMAT_VERSION}.`);
    }
    if (!Array.isArray(data.steps)) {
      throw new Error('Invalid investigation trail: "steps" is not an array.');
    }
    const trail = new Trail();
    trail.steps = data.steps.map((step, index) => checkedStep(step, index));
    const maxId = Math.max(0, ...trail.steps.map((step) => Number(step.id.slice(1))));
    trail.nextId = Math.max(typeof data.nextId === 'number' ? data.nextId : 0, maxId + 1);
    const current = typeof data.current === 'number' && Number.isInteger(data.current) ? data.current : trail.steps.length - 1;
    trail.current = Math.min(Math.max(current, trail.steps.length > 0 ? 0 : -1), trail.steps.length - 1);
    return trail;
  }

  private hasKnownSource(step: TrailStep): boolean {
    const sourceId = step.source?.stepId;
    return sourceId !== undefined && this.steps.some((other) => other.id === sourceId);
  }
}

const STEP_ID = /^s\d+$/;

function checkedStep(value: unknown, index: number): TrailStep {
  const fail = (field: string): never => {
    throw new Error(`Invalid investigation trail: step ${index + 1} has an invalid "${field}".`);
  };
  if (typeof value !== 'object' || value === null) {
    return fail('step');
  }
  const step = value as Record<string, unknown>;
  if (typeof step.id !== 'string' || !STEP_ID.test(step.id)) fail('id');
  if (step.kind !== 'run' && step.kind !== 'pivot') fail('kind');
  for (const field of ['title', 'query', 'time'] as const) {
    if (typeof step[field] !== 'string') fail(field);
  }
  for (const field of ['huntId', 'target', 'documentUri', 'referenceTime', 'requestId'] as const) {
    if (step[field] !== undefined && typeof step[field] !== 'string') fail(field);
  }
  if (step.rowCount !== undefined && (typeof step.rowCount !== 'number' || !Number.isInteger(step.rowCount) || step.rowCount < 0)) fail('rowCount');
  if (step.status !== undefined && !['Success', 'PartialFailure', 'Failure'].includes(step.status as string)) fail('status');
  if (step.error !== undefined && !isStepError(step.error)) fail('error');
  if (step.parameters !== undefined && !isParameterRecord(step.parameters)) fail('parameters');
  if (step.evidence !== undefined && !(Array.isArray(step.evidence) && step.evidence.every((item) => typeof item === 'string'))) fail('evidence');
  if (step.source !== undefined && !isSource(step.source)) fail('source');
  return step as unknown as TrailStep;
}

function isStepError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).code === 'string' && typeof (value as Record<string, unknown>).message === 'string';
}

function isParameterRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string' || typeof item === 'number')
  );
}

function isSource(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const source = value as Record<string, unknown>;
  const entity = source.entity as Record<string, unknown> | undefined;
  return (
    (source.stepId === undefined || typeof source.stepId === 'string') &&
    isPivotKind(source.pivot) &&
    typeof entity === 'object' &&
    entity !== null &&
    typeof entity.rowIndex === 'number' &&
    Object.entries(entity).every(([key, item]) => key === 'rowIndex' || key === 'denials' ? typeof item === 'number' : typeof item === 'string')
  );
}
