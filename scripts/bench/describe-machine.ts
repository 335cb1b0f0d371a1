import os from "node:os";

export interface MachineDescription {
  cores: number;
  cpu: string;
  memory_mb: number;
  node: string;
  platform: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  load_average_at_start: number[];
}

/** What the figures were measured on; a busy machine shows in its load. */
export function describeMachine(): MachineDescription {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    memory_mb: Math.round(os.totalmem() / (1024 * 1024)),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    load_average_at_start: loadAverage(),
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}
