export type FaultKind =
  | "status503"
  | "timeout"
  | "business_refusal"
  | "html_login"
  /** 403 with code 20, as for a user without rights on the object. */
  | "access_denied";

export interface FaultSpec {
  kind: FaultKind;
  count: number;
  method?: "GET" | "POST" | "PATCH" | undefined;
  entitySet?: string | undefined;
  message?: string | undefined;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  /** 0 when the emulator never answered (a `timeout` fault). */
  status: number;
  at: number;
}

/**
 * What one base publishes over OData, as an administrator sets it with
 * "Настройка стандартного интерфейса OData" (reference onec §1.3).
 */
export interface Composition {
  /** Entity sets in the composition; undefined = all. */
  sets?: string[] | undefined;
  /**
   * Fields left out, as "Set.Field" or "Set.Section/Column" ("Set.Section"
   * for a whole tabular section): absent from $metadata and, like any
   * unknown property, dropped from writes.
   */
  unpublishedFields?: string[] | undefined;
}

/** Switches and recordings an operator or a test changes at run time. */
export class EmulatorControl {
  down = false;
  latencyMs: number;
  readonly #faults: FaultSpec[] = [];
  #requests: RequestRecord[] = [];
  readonly #initialSets: Record<string, string[]>;
  #compositions = new Map<string, Composition>();

  constructor(latencyMs: number, published: Record<string, string[]> = {}) {
    this.latencyMs = latencyMs;
    this.#initialSets = published;
    this.resetCompositions();
  }

  composition(base: string): Composition {
    return this.#compositions.get(base) ?? {};
  }

  /** Changes the given parts of a base's composition; others stay. */
  setComposition(base: string, change: Composition): Composition {
    const next = { ...this.composition(base) };
    if ("sets" in change) next.sets = change.sets;
    if (change.unpublishedFields !== undefined) {
      next.unpublishedFields = change.unpublishedFields;
    }
    this.#compositions.set(base, next);
    return next;
  }

  /** Back to the composition the emulator started with. */
  resetCompositions(): void {
    this.#compositions = new Map(
      Object.entries(this.#initialSets).map(([base, sets]) => [
        base,
        { sets: [...sets] },
      ]),
    );
  }

  addFault(fault: FaultSpec): void {
    if (fault.count > 0) this.#faults.push({ ...fault });
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Takes one use of the first fault matching the request, if any. */
  takeFault(method: string, entitySet: string): FaultSpec | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method === method) &&
        (fault.entitySet === undefined || fault.entitySet === entitySet),
    );
    const fault = this.#faults[index];
    if (!fault) return undefined;

    fault.count -= 1;
    if (fault.count <= 0) this.#faults.splice(index, 1);
    return fault;
  }

  record(entry: RequestRecord): void {
    this.#requests.push(entry);
  }

  requests(): RequestRecord[] {
    return [...this.#requests];
  }

  clearRequests(): void {
    this.#requests = [];
  }
}
