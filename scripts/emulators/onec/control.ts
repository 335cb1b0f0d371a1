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

/** Switches and recordings an operator or a test changes at run time. */
export class EmulatorControl {
  down = false;
  latencyMs: number;
  readonly #faults: FaultSpec[] = [];
  #requests: RequestRecord[] = [];

  constructor(latencyMs: number) {
    this.latencyMs = latencyMs;
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
