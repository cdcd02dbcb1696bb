/**
 * The soak's config repo and what it renders, modelled independently of sluice: two apps in two
 * environments, each a ConfigMap (greeting), a Deployment (image tag), a Service, an optional
 * `<app>-extra` ConfigMap (removing it is a prune), and PreSync/PostSync hook Jobs. The model is
 * the expected end state the soak compares the cluster with.
 */

export const APPS = ['web', 'api'] as const;
export const ENVS = ['dev', 'stage'] as const;
export const IMAGE_REPO = 'registry.example.com/soak';

export interface AppEnvValues {
  greeting: string;
  tag: string;
  /** The image comes from a registry under `.invalid`: never pulled, so never ready (a Degraded release), on any cluster. */
  unpullable?: boolean;
  extra: boolean;
}

/** `app/env` → values. */
export type Model = Record<string, AppEnvValues>;

export const key = (app: string, env: string) => `${app}/${env}`;

export function initialModel(): Model {
  const m: Model = {};
  for (const app of APPS) for (const env of ENVS) m[key(app, env)] = { greeting: `hello ${app} ${env}`, tag: '1.0.0', extra: true };
  return m;
}

export function valuesPath(app: string, env: string): string {
  return `environments/${env}/${app}/values.yaml`;
}

export function valuesFile(v: AppEnvValues): string {
  const registry = v.unpullable ? '  registry: registry.invalid\n' : '';
  return `greeting: ${JSON.stringify(v.greeting)}\nimage:\n${registry}  tag: ${JSON.stringify(v.tag)}\nextra: ${v.extra}\n`;
}

/** Every values file of the model (a whole tree's worth, for a rewritten history). */
export function valuesFiles(m: Model): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    const [app, env] = k.split('/');
    out[valuesPath(app, env)] = valuesFile(v);
  }
  return out;
}

const HOOK = (phase: 'PreSync' | 'PostSync', suffix: string) => `---
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-${suffix}
  annotations:
    argocd.argoproj.io/hook: ${phase}
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: ${suffix}
          image: ${IMAGE_REPO}/tools:1.0.0
`;

const CHART: Record<string, string> = {
  'charts/svc/Chart.yaml': 'apiVersion: v2\nname: svc\nversion: 0.1.0\n',
  'charts/svc/values.yaml': `greeting: hello\nimage:\n  registry: ${IMAGE_REPO.split('/')[0]}\n  tag: "1.0.0"\nextra: true\n`,
  'charts/svc/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  greeting: {{ .Values.greeting | quote }}
`,
  'charts/svc/templates/extra.yaml': `{{- if .Values.extra }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-extra
data:
  note: "removed when extra is false"
{{- end }}
`,
  'charts/svc/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  progressDeadlineSeconds: 1
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.registry }}/${IMAGE_REPO.split('/').slice(1).join('/')}/{{ .Release.Name }}:{{ .Values.image.tag }}"
`,
  'charts/svc/templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {app: {{ .Release.Name }}}
  ports: [{port: 80, targetPort: 8080}]
`,
  'charts/svc/templates/hooks.yaml': HOOK('PreSync', 'pre') + HOOK('PostSync', 'post'),
};

export function namespaceOf(prefix: string, env: string): string {
  return `${prefix}-${env}`;
}

/** The whole config repo of a soak class. */
export function repoFiles(prefix: string, m: Model): Record<string, string> {
  const sluiceYaml = [
    'apiVersion: sluice.dev/v1alpha1',
    'kind: Config',
    'environments:',
    ...ENVS.map((e) => `  - {name: ${e}, namespace: ${namespaceOf(prefix, e)}, createNamespace: true, syncPolicy: {auto: true, prune: true, selfHeal: true, rollback: auto, healthTimeout: 30s, retry: {limit: 5, backoff: {duration: 500ms, factor: 2, maxDuration: 4s}}}}`),
    'apps:',
    ...APPS.map((a) => `  - {name: ${a}, chart: charts/svc}`),
    '',
  ].join('\n');
  return { 'sluice.yaml': sluiceYaml, ...CHART, ...valuesFiles(m) };
}

/** An object the final render must have (hooks aside), by `namespace/resource/name`. */
export function renderedObjects(prefix: string, m: Model): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(m)) {
    const [app, env] = k.split('/');
    const ns = namespaceOf(prefix, env);
    out.add(`${ns}/configmaps/${app}`).add(`${ns}/deployments/${app}`).add(`${ns}/services/${app}`);
    if (v.extra) out.add(`${ns}/configmaps/${app}-extra`);
  }
  return out;
}

export const FOREIGN = 'foreign-config';
