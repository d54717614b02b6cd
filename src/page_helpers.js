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

  // CRC-32 of PNG chunks (type and data), for the pHYs chunk below.
  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();
  function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // The PNG with a pHYs chunk of 300 dpi after its header, so word processors place it at its
  // print size.
  function with_print_resolution(png) {
    const ppm = 11811; // 300 dpi in pixels per metre
    const chunk = new Uint8Array(21);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, 9);
    chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
    view.setUint32(8, ppm);
    view.setUint32(12, ppm);
    chunk[16] = 1; // unit: metre
    view.setUint32(17, crc32(chunk.subarray(4, 17)));
    const header = 8 + 25; // signature and IHDR
    const out = new Uint8Array(png.length + chunk.length);
    out.set(png.subarray(0, header), 0);
    out.set(chunk, header);
    out.set(png.subarray(header), header + chunk.length);
    return out;
  }

  // At least 2400 pixels wide: 300 dpi over 20 cm, the width of a figure in a printed report.
  function save_svg_as_png(svg, name) {
    const blob = new Blob([svg], { type: 'image/svg+xml' });
    const url = URL.createObjectURL(blob);
    const img = new Image();
    img.onload = () => {
      const width = img.naturalWidth || 800;
      const height = img.naturalHeight || 600;
      const scale = Math.max(2, Math.ceil(2400 / width));
      const canvas = document.createElement('canvas');
      canvas.width = width * scale;
      canvas.height = height * scale;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob(async (png) => {
        if (!png) return;
        const bytes = with_print_resolution(new Uint8Array(await png.arrayBuffer()));
        const pngUrl = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
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
