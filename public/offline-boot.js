// Starts the offline app in offline.html. The bundle's hashed addresses are
// the page's preload links, written at build time; an inline script would
// need a nonce, which a page kept by the service worker cannot have.
const js = document.querySelector('link[rel="modulepreload"]').href;
const wasm = document.querySelector('link[rel="preload"][as="fetch"]').href;
const app = await import(js);
await app.default({ module_or_path: wasm });
app.mount_offline();
