// Browser helpers of the page, bound from Rust as `globalThis.lagebildPage` (src/interop.rs):
// terminating the worker, saving downloads, remembering settings (never data), SVG to PNG.
// A classic script so the worker's no-modules build never sees it.
(() => {
  let captured = null;
  let nativeWorker = null;

  function capture_worker_begin() {
    nativeWorker = globalThis.Worker;
    const Native = nativeWorker;
    const Capturing = function (...args) {
      const worker = new Native(...args);
      captured = worker;
      return worker;
    };
    Capturing.prototype = Native.prototype;
    globalThis.Worker = Capturing;
  }

  function capture_worker_end() {
    if (nativeWorker) {
      globalThis.Worker = nativeWorker;
      nativeWorker = null;
    }
    const worker = captured;
    captured = null;
    return worker;
  }

  function terminate_worker(worker) {
    if (worker && typeof worker.terminate === 'function') {
      worker.terminate();
    }
  }

  function save_bytes(name, mime, bytes) {
    const blob = new Blob([bytes], { type: mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function save_svg_as_png(svg, name) {
    const blob = new Blob([svg], { type: 'image/svg+xml' });
    const url = URL.createObjectURL(blob);
    const img = new Image();
    img.onload = () => {
      const scale = 2;
      const width = img.naturalWidth || 800;
      const height = img.naturalHeight || 600;
      const canvas = document.createElement('canvas');
      canvas.width = width * scale;
      canvas.height = height * scale;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((png) => {
        if (!png) return;
        const pngUrl = URL.createObjectURL(png);
        const a = document.createElement('a');
        a.href = pngUrl;
        a.download = name;
        a.hidden = true;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(pngUrl), 60000);
      }, 'image/png');
    };
    img.src = url;
  }

  function relative_path(file) {
    return (file && file.webkitRelativePath) || '';
  }

  function settings_load(key) {
    try {
      return globalThis.localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function settings_store(key, value) {
    try {
      globalThis.localStorage.setItem(key, value);
    } catch (e) {
      // Storage disabled: settings are then not remembered.
    }
  }

  function settings_forget(key) {
    try {
      globalThis.localStorage.removeItem(key);
    } catch (e) {
      // Storage disabled: nothing remembered.
    }
  }
  // The single-file build (xtask/src/bundle.rs) starts the worker from a blob: URL it
  // publishes here; the multi-file build loads the loader script next to the page.
  function worker_url() {
    return globalThis.LAGEBILD_WORKER_URL ?? './worker_loader.js';
  }

  globalThis.lagebildPage = { worker_url, capture_worker_begin, capture_worker_end, terminate_worker, save_bytes, save_svg_as_png, relative_path, settings_load, settings_store, settings_forget };
})();
