import { readFileSync } from "node:fs";

export interface RssSampler {
  /** Starts a new phase: the peak seen from now on is filed under it. */
  phase(name: string): void;
  /** Stops sampling; peaks in MB, overall and per phase. */
  stop(): RssPeaks;
}

export interface RssPeaks {
  peak_mb: number;
  /** The kernel's high-water mark of this process (VmHWM), when readable. */
  kernel_peak_mb: number | null;
  by_phase_mb: Record<string, number>;
}

const BYTES_PER_MB = 1024 * 1024;

/** Samples this process's resident set size every `everyMs`. */
export function samplePeakRss(everyMs: number): RssSampler {
  const byPhase: Record<string, number> = {};
  let current = "start";
  let peak = 0;

  const sample = () => {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    byPhase[current] = Math.max(byPhase[current] ?? 0, rss);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  sample();

  return {
    phase(name) {
      sample();
      current = name;
      sample();
    },
    stop() {
      sample();
      clearInterval(timer);
      const toMb = (bytes: number) => Math.round(bytes / BYTES_PER_MB);
      return {
        peak_mb: toMb(peak),
        kernel_peak_mb: toMb(readProcMemory("self").peakKb * 1024) || null,
        by_phase_mb: Object.fromEntries(
          Object.entries(byPhase).map(([name, bytes]) => [name, toMb(bytes)]),
        ),
      };
    },
  };
}

/** VmHWM (peak) and VmRSS of a Linux process in kB; zeros without /proc. */
export function readProcMemory(pid: number | "self"): {
  peakKb: number;
  rssKb: number;
} {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, "m").exec(status)?.[1]) ||
      0;
    return { peakKb: kb("VmHWM"), rssKb: kb("VmRSS") };
  } catch {
    return { peakKb: 0, rssKb: 0 };
  }
}
