// The offline copy of the web interface. A page reloaded while the depot box cannot be reached
// still opens, so the scans waiting in the queue stay in sight and go out when the box answers.
//
// Network first, always: every file is fetched from the server when it answers (so an upgraded box
// never runs old scripts) and the copy is only used when it does not. The API is never cached.
// Browsers run this only on secure pages (HTTPS, or the machine itself as localhost/127.0.0.1).
const CACHE = 'tracetrack-app';
const NETWORK_WAIT_MS = 4000;  // an unreachable box may drop packets instead of refusing

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page names the files it loaded (it was loaded before this worker took over): keep them.
self.addEventListener('message', (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      for (const url of urls) {
        try {
          const res = await fetch(url, { cache: 'no-cache' });
          if (res.ok) await cache.put(url, res);
        } catch {
          // unreachable now: kept on a later load
        }
      }
      if (event.source) event.source.postMessage({ kept: urls.length });
    }),
  );
});

function cacheable(request) {
  const url = new URL(request.url);
  return (
    request.method === 'GET' &&
    url.origin === self.location.origin &&
    !url.pathname.startsWith('/api/') &&
    !['/healthz', '/readyz', '/metrics', '/sw.js'].includes(url.pathname)
  );
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  // Every page address is the same application: one copy serves them all.
  const key = request.mode === 'navigate' ? '/index.html' : request;
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), NETWORK_WAIT_MS)),
    ]);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(key);
    if (copy) return copy;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  if (cacheable(event.request)) event.respondWith(networkFirst(event.request));
});
