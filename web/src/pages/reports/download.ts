// CSV downloads of the reports screen. The exports need the bearer token,
// so a plain link will not do: fetch with `Authorization`, take the body as
// a blob (bytes as sent, the BOM included) and save it through an object URL
// under the name the server gives in `Content-Disposition`.
import { TOKEN_CODES } from '../../api/session';
import { filenameFromDisposition } from './model';

export interface TokenSource {
  accessToken(): Promise<string | null>;
  /** A fresh access token after the server refused one, or null when the session is over. */
  onUnauthenticated(): Promise<string | null>;
}

/** The server's `{"error":{"code","message"}}` answer to an export. */
export class CsvError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

async function errorOf(res: Response): Promise<CsvError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body?.error?.code) return new CsvError(body.error.code, body.error.message ?? '');
  } catch {
    /* not JSON */
  }
  return new CsvError(res.status >= 500 ? 'internal' : 'invalid_input', `HTTP ${res.status} ${res.statusText}`.trim());
}

/**
 * Fetches an export with the session's token; when the server refuses the
 * token (expired, session ended), refreshes once and asks again.
 */
export async function fetchCsv(
  url: string,
  session: TokenSource,
  fallbackName: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<{ blob: Blob; filename: string }> {
  const send = (token: string | null) =>
    fetchImpl(url, { headers: token ? { authorization: `Bearer ${token}`, accept: 'text/csv' } : { accept: 'text/csv' }, credentials: 'same-origin' });
  let res: Response;
  try {
    const token = await session.accessToken();
    res = await send(token);
    if (res.status === 401 && token) {
      const err = await errorOf(res.clone());
      if (TOKEN_CODES.has(err.code)) {
        const fresh = await session.onUnauthenticated();
        if (fresh) res = await send(fresh);
      }
    }
  } catch (e) {
    throw new CsvError('network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) throw await errorOf(res);
  let blob: Blob;
  try {
    blob = await res.blob();
  } catch (e) {
    // the headers came, the body broke off (the ticket list is streamed)
    throw new CsvError('download_incomplete', e instanceof Error ? e.message : String(e));
  }
  return { blob, filename: filenameFromDisposition(res.headers.get('content-disposition'), fallbackName) };
}

/** Saves a blob as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // revoking at once can cancel the download in some browsers
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
