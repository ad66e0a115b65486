/** The provider refused the credentials (401/403): retrying cannot help, the admin must replace them. */
export class CrmAuthError extends Error {}
/** The provider answered something retrying cannot fix (another 4xx, or a body we cannot read). */
export class CrmRequestError extends Error {}
/** The provider was unreachable, slow, rate-limiting or failing (429/5xx) after the retries here. */
export class CrmUnavailableError extends Error {}

export interface CrmHttpOptions {
  /** Per request. @default 10000 */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, timeouts and connection errors. @default 2 */
  retries?: number;
  /** Waits between retries start here and double; a Retry-After header of up to 30 s is honoured. @default 500 */
  retryDelayMs?: number;
  /** Aborts everything (the job's signal). */
  signal?: AbortSignal;
}

const RETRY_AFTER_CAP_SECONDS = 30;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
  });

/**
 * One JSON request to a CRM with Node's fetch: a timeout per attempt, retries with backoff for what may pass
 * (429, 5xx, network errors), and errors that say what went wrong. Answers the parsed body (null for 204).
 */
export async function crmRequest(
  url: string,
  init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH'; headers?: Record<string, string>; body?: unknown },
  options: CrmHttpOptions = {},
): Promise<unknown> {
  const { timeoutMs = 10_000, retries = 2, retryDelayMs = 500, signal } = options;
  const method = init.method ?? 'GET';
  const where = `${method} ${redactedUrl(url)}`;
  for (let attempt = 0; ; attempt++) {
    let wait = retryDelayMs * 2 ** attempt;
    let problem: string;
    try {
      const response = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new CrmAuthError(`The CRM refused the credentials (${response.status} at ${where}): replace them in the connection`);
      }
      if (response.status === 429 || response.status >= 500) {
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter >= 0 && retryAfter <= RETRY_AFTER_CAP_SECONDS) wait = retryAfter * 1000;
        await response.body?.cancel();
        problem = `${response.status} at ${where}`;
      } else if (response.status === 204) {
        return null;
      } else {
        const text = await response.text();
        if (!response.ok) throw new CrmRequestError(`The CRM answered ${response.status} at ${where}: ${text.slice(0, 200)}`);
        if (!text) return null;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new CrmRequestError(`The CRM answered something other than JSON at ${where}`);
        }
      }
    } catch (error) {
      if (error instanceof CrmAuthError || error instanceof CrmRequestError) throw error;
      if (signal?.aborted) throw error;
      const name = (error as Error).name;
      problem = name === 'TimeoutError' ? `no answer within ${timeoutMs} ms at ${where}` : `${where} failed: ${(error as Error).message}`;
    }
    if (attempt >= retries) throw new CrmUnavailableError(`The CRM is unavailable: ${problem} (${attempt + 1} attempts)`);
    await sleep(wait, signal);
  }
}

/** A URL fit for an error message: Bitrix24 webhook URLs carry their key in the path, so the path goes. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}/…/${parsed.pathname.split('/').pop() ?? ''}`;
  } catch {
    return 'the CRM';
  }
}

/** `base` without trailing slashes joined with `path`. */
export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;
