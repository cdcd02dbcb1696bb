/**
 * What every command that talks to a running sluice shares: the `--server` and `--token-file`
 * flags, their defaults from the environment, and their help text.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { flag, UsageError, type FlagSpec, type ParsedArgs } from './args.js';
import { ApiClient, ApiError, defaultServerUrl, type ApiClientOptions } from '../server/client.js';
import { errorText } from '../common/error-text.js';

export const API_FLAGS: Record<string, FlagSpec> = { server: {}, 'token-file': {} };

export const API_FLAGS_HELP = `  --server URL       sluice server (default $SLUICE_SERVER or http://127.0.0.1:8080)
  --token-file FILE  file holding the API token (default: $SLUICE_API_TOKEN)`;

export function apiClient(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env, options: ApiClientOptions = {}): ApiClient {
  const file = flag(args, 'token-file');
  let token = env.SLUICE_API_TOKEN?.trim();
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--token-file ${file}: ${errorText(err)}`);
    }
  }
  return new ApiClient(flag(args, 'server') ?? defaultServerUrl(env), token || undefined, options);
}

/**
 * Runs a command's API calls: exit 0 when they succeed, 1 with the server's refusal or the reason it
 * could not be reached on stderr; anything else is a bug and propagates.
 */
export async function apiCall(command: string, fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    process.stderr.write(`sluice ${command}: ${err.message}\n`);
    return 1;
  }
}

/** Who is asking, recorded with the release or commit the command causes. */
export function caller(): string {
  return `cli:${process.env.USER || userInfo().username}`;
}
