/**
 * What every command that talks to a running sluice shares: the `--server` and `--token-file`
 * flags, their defaults from the environment, and their help text.
 */
import { readFileSync } from 'node:fs';
import { flag, UsageError, type FlagSpec, type ParsedArgs } from './args.js';
import { ApiClient, defaultServerUrl } from '../server/client.js';

export const API_FLAGS: Record<string, FlagSpec> = { server: {}, 'token-file': {} };

export const API_FLAGS_HELP = `  --server URL       sluice server (default $SLUICE_SERVER or http://127.0.0.1:8080)
  --token-file FILE  file holding the API token (default: $SLUICE_API_TOKEN)`;

export function apiClient(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): ApiClient {
  const file = flag(args, 'token-file');
  let token = env.SLUICE_API_TOKEN?.trim();
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--token-file ${file}: ${(err as Error).message}`);
    }
  }
  return new ApiClient(flag(args, 'server') ?? defaultServerUrl(env), token || undefined);
}
