/**
 * The bounds of one render, so that a chart or a values file, whoever wrote it, ends in a
 * RenderError with code ELIMIT instead of a controller that runs out of memory, stack or time.
 * Every bound is an option of renderChart (`limits`, filled from defaultRenderLimits()); sizes are
 * checked before the data is decoded or parsed, so refusing a file costs no more than its bytes.
 */
import { RenderError } from './errors.js';

export interface RenderLimits {
  /** Bytes of one values file (user `-f` files and each chart's values.yaml), checked before parsing. */
  maxValuesFileBytes: number;
  /** Bytes of all user values files of one render together. */
  maxValuesBytes: number;
  /** Bytes of the chart: every file it loads, subcharts included (archives counted unpacked). */
  maxChartBytes: number;
  /** Bytes written by the template pass: every template's output, text of include/tpl calls counted too. */
  maxOutputBytes: number;
  /** Executions nested in one another: include, tpl and {{template}} together. */
  maxNestingDepth: number;
  /** Wall time of the template pass (ms), read on `clock` every few thousand steps. */
  maxRenderMs: number;
}

const MiB = 1024 * 1024;

/**
 * Defaults, chosen so every real public chart renders with room to spare. Measured on Bitnami's
 * 115 installable charts (each with its in-repo dependencies): the largest values.yaml is 260 KiB
 * (thanos), the largest chart 5 MiB (kube-prometheus), the largest render 3 MiB (kuberay), and
 * the deepest include nesting 7 levels; all render with these limits exactly as without them.
 * maxNestingDepth is 100, not Helm's 1000 (see funcs.ts): a level of include costs 11 JavaScript
 * frames, 1.5 to 4.5 KiB of stack, so 1000 levels do not fit V8's default stack (984 KiB) while
 * 100 levels of the heaviest leave more than half of it free.
 */
export function defaultRenderLimits(): RenderLimits {
  return {
    maxValuesFileBytes: 8 * MiB,
    maxValuesBytes: 16 * MiB,
    maxChartBytes: 100 * MiB,
    maxOutputBytes: 64 * MiB,
    maxNestingDepth: 100,
    maxRenderMs: 30_000,
  };
}

/** The defaults with `partial` laid over them (undefined fields keep the default). */
export function renderLimits(partial: Partial<RenderLimits> = {}): RenderLimits {
  const out = defaultRenderLimits();
  for (const [k, v] of Object.entries(partial) as [keyof RenderLimits, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}

/** ELIMIT for a values file over maxValuesFileBytes; call with the byte size before decoding. */
export function checkValuesFile(name: string, bytes: number, limits: RenderLimits): void {
  if (bytes > limits.maxValuesFileBytes) {
    throw new RenderError('ELIMIT', `values file ${name} is ${formatBytes(bytes)}, more than the limit of ${formatBytes(limits.maxValuesFileBytes)}`, { file: name });
  }
}

/** ELIMIT when the values files together pass maxValuesBytes. */
export function checkValuesTotal(files: { name: string; bytes: number }[], limits: RenderLimits): void {
  const total = files.reduce((n, f) => n + f.bytes, 0);
  if (total > limits.maxValuesBytes) {
    throw new RenderError('ELIMIT', `values files (${files.map((f) => f.name).join(', ')}) are ${formatBytes(total)} together, more than the limit of ${formatBytes(limits.maxValuesBytes)}`, { file: files.at(-1)?.name });
  }
}

/** ELIMIT when a chart's files pass maxChartBytes. */
export function checkChartSize(label: string, bytes: number, limits: RenderLimits): void {
  if (bytes > limits.maxChartBytes) throw new RenderError('ELIMIT', `${label}: chart files are ${formatBytes(bytes)} together, more than the limit of ${formatBytes(limits.maxChartBytes)}`);
}

/** "30.0 MiB", "512 KiB", "900 bytes". */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
