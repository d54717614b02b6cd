// Starts the pipeline worker: loads the wasm-bindgen glue of the `lagebild-worker` binary and
// its wasm module, both next to this file. (Trunk's own loader shim still uses the deprecated
// positional argument of the wasm-bindgen initialiser.)
importScripts('./lagebild-worker.js');
wasm_bindgen({ module_or_path: './lagebild-worker_bg.wasm' });
