// Sends a file as a request body with upload progress, which fetch() cannot report: a depot's
// Wi-Fi may take a minute over a large list, and the page shows how far it is.
import { ApiError, csrfHeaders, errorOf } from './api.js';

// POSTs `file` (a File or Blob) to `path`; onProgress(sent, total) as bytes go out, then
// onProgress(total, total) while the server works. Resolves to the JSON body of a 2xx answer;
// rejects with ApiError (with the answer's JSON body as `.body`, for reports sent with errors).
export function uploadFile(path, file, { onProgress = () => {}, timeoutMs = 600000 } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.timeout = timeoutMs;
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.upload.onload = () => onProgress(file.size, file.size);
    xhr.onload = () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const error = errorOf({ status: xhr.status, body, retryAfter: Number(xhr.getResponseHeader('Retry-After')) || undefined });
      error.body = body;
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, 'unreachable', 'The server cannot be reached.'));
    xhr.ontimeout = () => reject(new ApiError(0, 'timeout', 'The server did not answer in time.'));
    xhr.send(file);
  });
}
