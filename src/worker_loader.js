// Starts the pipeline worker: loads the wasm-bindgen glue of the `lagebild-worker` binary and
// its wasm module, both next to this file. (Trunk's own loader shim still uses the deprecated
// positional argument of the wasm-bindgen initialiser.) The module is fetched here and handed
// over as a response only if the server labels it `application/wasm` (streaming compilation),
// as bytes otherwise: servers such as IIS that send another type work without a warning.
importScripts('./lagebild-worker.js');
wasm_bindgen({
  module_or_path: fetch('./lagebild-worker_bg.wasm')
    .then((r) => ((r.headers.get('content-type') ?? '').startsWith('application/wasm') ? r : r.arrayBuffer())),
});
