/**
 * `sluice render NAME CHART -n NS ...` (helm template's form) or `sluice render CHART --release NAME
 * ...`: renders a Helm chart like `helm template NAME CHART -n NS ...` and prints the same text;
 * `-s/--show-only` as helm's. Exit 1 with a helm-like `Error: ...` message when the chart cannot be
 * rendered.
 */
import { readFile } from 'node:fs/promises';
import { flagList, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { errorText } from '../../common/error-text.js';

const USAGE = `Usage: sluice render [NAME] CHART_DIR [flags]
       sluice render CHART_DIR --release NAME [flags]

Renders a Helm chart locally and prints the manifests exactly as \`helm template\` does, so it
drops in where \`helm template NAME CHART\` was used.

Flags:
  --release NAME         release name (.Release.Name) when not given before CHART_DIR;
                         default "release-name"
  -s, --show-only PATH   only the manifests of this template (a path in the chart, e.g.
                         templates/deployment.yaml; globs as helm takes them); repeatable
  -n, --namespace NS     release namespace; default "default"
  -f, --values FILE      values file; repeatable, later files win
  --set K=V              set values (typed like helm: ints, bools, null); repeatable
  --set-string K=V       set string values; repeatable
  --set-json K=JSON      set JSON values; repeatable
  --set-file K=PATH      set a value to a file's content; repeatable
  --kube-version V       Kubernetes version for .Capabilities (default v1.32.0)
  --api-versions G/V     extra API versions for .Capabilities.APIVersions; repeatable
  --include-crds         include the charts' crds/ in the output
  --is-upgrade           render as an upgrade (.Release.IsUpgrade)

Examples:
  sluice render web ./charts/web -n prod -f prod.yaml --set image.tag=1.2.3
  sluice render web ./charts/web -s templates/deployment.yaml`;

const SPEC = {
  release: {}, namespace: { short: 'n' }, values: { short: 'f', repeated: true }, set: { repeated: true },
  'set-string': { repeated: true }, 'set-json': { repeated: true }, 'set-file': { repeated: true },
  'kube-version': {}, 'api-versions': { repeated: true }, 'include-crds': { boolean: true }, 'is-upgrade': { boolean: true },
  'show-only': { short: 's', repeated: true },
};

/** NAME and CHART_DIR from helm's form (`NAME CHART`) or sluice's first one (`CHART --release NAME`). */
export function releaseAndChart(positionals: readonly string[], release: string | undefined): { release: string; chart: string } {
  if (positionals.length === 2) {
    if (release !== undefined) throw new UsageError('give the release name either as NAME or as --release, not both');
    return { release: positionals[0], chart: positionals[1] };
  }
  if (positionals.length !== 1) throw new UsageError('CHART_DIR is required (NAME CHART_DIR, or CHART_DIR --release NAME)');
  return { release: release ?? 'release-name', chart: positionals[0] };
}

async function run(argv: string[]): Promise<number> {
  // Loaded here, not at the top: `sluice --help` and the other commands never pay for the engine.
  const [{ formatManifests, RenderError, renderChart, showOnly }, { loadChartDir }] = await Promise.all([import('../../render/helm/index.js'), import('../../render/helm/load-dir.js')]);
  const args = parseArgs(argv, SPEC);
  const one = (k: string): string | undefined => args.flags.get(k)?.[0];
  const named = releaseAndChart(args.positionals, one('release'));
  try {
    const chart = loadChartDir(named.chart);
    const valuesFiles = await Promise.all(flagList(args, 'values').map(async (name) => ({ name, content: await readFile(name, 'utf8') })));
    const setFile = await Promise.all(flagList(args, 'set-file').map(async (kv) => {
      const eq = kv.indexOf('=');
      if (eq < 0) throw new RenderError('EVALUES', `failed parsing --set-file data: key "${kv}" has no value`);
      return { key: kv.slice(0, eq), content: await readFile(kv.slice(eq + 1), 'utf8') };
    }));
    const includeCrds = one('include-crds') === 'true';
    const result = renderChart(chart, {
      releaseName: named.release,
      namespace: one('namespace') ?? 'default',
      valuesFiles, setFile, includeCrds,
      set: flagList(args, 'set'), setString: flagList(args, 'set-string'), setJson: flagList(args, 'set-json'),
      kubeVersion: one('kube-version'), apiVersions: flagList(args, 'api-versions'),
      isUpgrade: one('is-upgrade') === 'true',
    });
    const text = formatManifests(result, { includeCrds });
    const only = flagList(args, 'show-only');
    process.stdout.write(only.length ? showOnly(text, only) : text);
    return 0;
  } catch (err) {
    if (err instanceof RenderError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`Error: ${errorText(err)}\n`);
      return 1;
    }
    throw err;
  }
}

export const command: Command = { usage: USAGE, run };
