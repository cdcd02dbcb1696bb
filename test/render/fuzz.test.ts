/**
 * Hostile values and templates, generated from a seeded PRNG (the same cases every run): each
 * render must end in a result or a RenderError with a code — no crash, no stack overflow, no
 * hang (each case within a budget), memory bounded (heap growth checked per case).
 */
import assert from 'node:assert/strict';
import { loadChart, RenderError, renderChart, type RenderLimits } from '../../src/render/helm/index.js';
import { prng } from '../support/prng.js';


interface Case {
  name: string;
  template?: string;
  defines?: string;
  values?: string;
  chartValues?: string;
  limits?: Partial<RenderLimits>;
}

const rand = prng(20261203);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: T[]): T => xs[int(0, xs.length - 1)];
const deepYaml = (n: number): string => Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1\n';
const deepFlow = (n: number, open: string, close: string): string => 'a: ' + open.repeat(n) + close.repeat(n) + '\n';
const laughs = (levels: number, width: number): string => {
  const lines = ['l0: &l0 "lol"'];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
};

const cases: Case[] = [
  { name: 'values nested 10k deep (block maps)', values: deepYaml(10_000), template: '{{ toYaml .Values | len }}' },
  { name: 'values nested 10k deep (flow lists)', values: deepFlow(10_000, '[', ']'), template: '{{ toJson .Values | len }}' },
  { name: 'values nested 10k deep (JSON maps)', values: 'a: ' + '{"k":'.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n', template: '{{ .Values | toYaml | len }}' },
  { name: 'chart values.yaml nested 10k deep', chartValues: deepFlow(10_000, '{a: ', '}'), template: 'x' },
  { name: 'billion laughs in a values file', values: laughs(9, 10), template: '{{ len .Values.l9 }}' },
  { name: 'billion laughs in fromYaml', template: `{{ fromYaml ${JSON.stringify(laughs(9, 10))} | len }}` },
  { name: 'a huge scalar', values: 'a: "' + 'x'.repeat(4 * 1024 * 1024) + '"\n', template: '{{ .Values.a | len }}' },
  { name: 'a huge key count', values: Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n') + '\n', template: '{{ len .Values }}' },
  { name: 'endless include', defines: '{{- define "r" }}{{ include "r" . }}{{ end }}', template: '{{ include "r" . }}' },
  { name: 'endless tpl', template: '{{ tpl "{{ tpl .Values.t . }}" . }}', values: 't: "{{ tpl .Values.t . }}"\n' },
  { name: 'endless template action', defines: '{{- define "r" }}{{ template "r" . }}{{ end }}', template: '{{ template "r" . }}' },
  { name: 'include and tpl in turn', defines: '{{- define "r" }}{{ tpl "{{ include \\"r\\" . }}" . }}{{ end }}', template: '{{ include "r" . }}' },
  { name: 'heavy body per level', defines: '{{- define "r" }}{{ with $ }}{{ if true }}{{ range list 1 }}{{ include "r" $ | trim | nindent 2 }}{{ end }}{{ end }}{{ end }}{{ end }}', template: '{{ include "r" . }}' },
  { name: 'range over a huge int', template: '{{ range 100000000000 }}{{ end }}', limits: { maxRenderMs: 300 } },
  { name: 'until huge', template: '{{ range until 1000000000 }}x{{ end }}' },
  { name: 'untilStep huge', template: '{{ len (untilStep 0 1000000000000 1) }}' },
  { name: 'seq huge', template: '{{ len (seq 1 1000000000) }}' },
  { name: 'repeat huge', template: '{{ repeat 1000000000 "xx" | len }}' },
  { name: 'printf huge width', template: '{{ printf "%999999999d" 1 }}{{ printf "%*d" 1000000000 1 }}' },
  { name: 'printf width in a loop', template: '{{ range until 100000 }}{{ printf "%1000000d" 1 }}{{ end }}', limits: { maxOutputBytes: 8 * 1024 * 1024 } },
  { name: 'nested parentheses', template: '{{ ' + '('.repeat(1000) + '1' + ')'.repeat(1000) + ' }}' },
  { name: 'nested ifs', template: '{{ if true }}'.repeat(5000) + 'x' + '{{ end }}'.repeat(5000) },
  { name: 'output doubling', template: '{{ $s := "x" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}{{ $s | len }}' },
  { name: 'dict growing in a loop', template: '{{ $d := dict }}{{ range until 1000000 }}{{ $_ := set $d (toString .) . }}{{ end }}{{ len $d }}', limits: { maxRenderMs: 300 } },
];

// Random mixes: nesting of the above building blocks, seeded.
for (let i = 0; i < 12; i++) {
  const depth = int(1, 4000);
  const kind = pick(['values', 'json', 'tpl', 'include', 'repeat']);
  if (kind === 'values') cases.push({ name: `random: values ${depth} deep`, values: deepYaml(depth), template: '{{ toYaml .Values | sha256sum }}' });
  else if (kind === 'json') cases.push({ name: `random: JSON ${depth} deep`, values: 'a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n', template: '{{ .Values | toJson | fromJson | toYaml | len }}' });
  else if (kind === 'tpl') cases.push({ name: `random: tpl chain ${depth % 300}`, values: 't: ' + JSON.stringify('{{ tpl .Values.t . }}'.slice(0, 10 + (depth % 12))) + '\n', template: '{{ tpl .Values.t . }}' });
  else if (kind === 'include') cases.push({ name: `random: include ${depth % 200} deep`, defines: `{{- define "r" }}{{ if lt (len .) ${depth % 200} }}{{ include "r" (append . 1) }}{{ end }}{{ end }}`, template: '{{ include "r" list }}' });
  else cases.push({ name: `random: repeat ${depth}`, template: `{{ repeat ${depth * 1000} "ab" | len }}` });
}

const enc = new TextEncoder();
const CASE_BUDGET_MS = 4_000;

describe('render fuzz', function () {
  this.timeout(30_000);
  for (const c of cases) {
    it(c.name, () => {
      const files: Record<string, string> = {
        'Chart.yaml': 'apiVersion: v2\nname: fuzz\nversion: 0.1.0\n',
        'templates/t.yaml': c.template ?? '',
        ...(c.defines ? { 'templates/_h.tpl': c.defines } : {}),
        ...(c.chartValues ? { 'values.yaml': c.chartValues } : {}),
      };
      const heapBefore = process.memoryUsage().heapUsed;
      const started = Date.now();
      let outcome: string;
      try {
        const chart = loadChart(new Map(Object.entries(files).map(([k, v]) => [k, enc.encode(v)])), undefined);
        renderChart(chart, { releaseName: 'r', namespace: 'ns', valuesFiles: c.values ? [{ name: 'v.yaml', content: c.values }] : [], limits: c.limits });
        outcome = 'ok';
      } catch (e) {
        assert.ok(e instanceof RenderError, `${c.name}: not a RenderError: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e)}`);
        assert.ok(e.code, 'a RenderError with a code');
        assert.ok(!/Maximum call stack size exceeded/.test(e.message) || e.code === 'ELIMIT', `stack overflow reported as ${e.code}`);
        outcome = e.code;
      }
      const ms = Date.now() - started;
      assert.ok(ms < CASE_BUDGET_MS, `${c.name} took ${ms} ms (${outcome})`);
      const grown = process.memoryUsage().heapUsed - heapBefore;
      assert.ok(grown < 256 * 1024 * 1024, `${c.name} grew the heap by ${Math.round(grown / 1048576)} MiB`);
    });
  }
});
