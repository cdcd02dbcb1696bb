/**
 * Where an app × env's generated values live between controller runs: the passwords, keys and
 * certificates its chart generates (src/render/helm/generated.ts), kept so a restarted controller
 * renders the same values the cluster already runs. A Secret, since the values are secrets, named
 * like the inventory: `sluice-generated.<app>.<env>` in sluice's state namespace.
 */
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { GeneratedValues } from '../render/helm/index.js';
import { FIELD_MANAGER } from './inventory.js';
import { stateLabels, type Owner } from './ownership.js';
import { errorText } from '../common/error-text.js';

export const GENERATED_SECRET_TYPE = 'sluice.dev/generated.v1';

export function generatedSecretName(owner: Owner): string {
  return `sluice-generated.${owner.app}.${owner.env}`;
}

/** Thrown when the stored Secret is not what this store writes. */
export class GeneratedDecodeError extends Error {
  constructor(owner: Owner, reason: string) {
    super(`generated values of ${owner.app}/${owner.env} (Secret ${generatedSecretName(owner)}): ${reason}`);
  }
}

export class GeneratedStore {
  constructor(
    private readonly client: ClusterClient,
    readonly namespace: string,
  ) {}

  /** The kept values; empty when none were stored yet. */
  async load(owner: Owner): Promise<GeneratedValues> {
    const secret = await this.client.get({ apiVersion: 'v1', kind: 'Secret', namespace: this.namespace, name: generatedSecretName(owner) });
    if (!secret) return {};
    if (secret.type !== GENERATED_SECRET_TYPE) throw new GeneratedDecodeError(owner, `type is ${String(secret.type)}, not ${GENERATED_SECRET_TYPE}`);
    const encoded = ((secret.data ?? {}) as Record<string, string>).values;
    if (encoded === undefined) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    } catch (e) {
      throw new GeneratedDecodeError(owner, `data.values is not JSON: ${errorText(e)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new GeneratedDecodeError(owner, 'data.values is not a map of strings');
    }
    return parsed as GeneratedValues;
  }

  async save(owner: Owner, values: GeneratedValues): Promise<void> {
    await this.client.ensureNamespace(this.namespace);
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: generatedSecretName(owner),
        namespace: this.namespace,
        labels: stateLabels(owner),
      },
      type: GENERATED_SECRET_TYPE,
      data: { values: Buffer.from(JSON.stringify(values), 'utf8').toString('base64') },
    };
    await this.client.apply(secret, { fieldManager: FIELD_MANAGER, force: true });
  }
}
