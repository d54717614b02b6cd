//! Post-processing of Trunk's `dist/` (issue 9): a strict Content Security Policy for the
//! multi-file build and `dist/lagebild.html`, the whole app in one self-contained file.
//!
//! The single file keeps both wasm modules gzip-compressed as base64 in non-executable
//! `<script>` data blocks; one inline module script unpacks them with the browser's
//! `DecompressionStream`, creates the pipeline worker from a `blob:` URL (published to the app
//! as `globalThis.LAGEBILD_WORKER_URL`) and instantiates the page's module from bytes. Nothing is fetched, so it works from `file://`, from a server that sends
//! `.wasm` with any MIME type, and under `connect-src 'none'`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use crate::util::Result;

/// Size budget of the single file (issue 9).
pub const SINGLE_FILE_BUDGET: u64 = 6 * 1024 * 1024;

/// Policy directives both builds share.
const COMMON_POLICY: &str = "default-src 'none'; img-src data: blob:; \
     form-action 'none'; base-uri 'none'; object-src 'none'";

/// The files of a Trunk release build.
struct Build {
    index: String,
    css_file: String,
    main_js: String,
    main_wasm: String,
}

impl Build {
    fn read(dist: &Path) -> Result<Build> {
        let index = remove_csp(&read_text(&dist.join("index.html"))?);
        let css_file = attribute_value(&index, "rel=\"stylesheet\" href=\"./", ".css")
            .map(|stem| format!("{stem}.css"))
            .ok_or("dist/index.html: no stylesheet link found")?;
        let main_js = attribute_value(&index, "from './", ".js")
            .map(|stem| format!("{stem}.js"))
            .ok_or("dist/index.html: no module import of the app's JavaScript found")?;
        // wasm-bindgen names the module after its glue.
        let main_wasm = main_js.replace(".js", "_bg.wasm");
        Ok(Build {
            index,
            css_file,
            main_js,
            main_wasm,
        })
    }
}

/// Post-processes a Trunk release build in `dist`: CSP for the multi-file build, then the
/// single file; prints the single file's size against the budget.
pub fn run(dist: &Path) -> Result {
    add_csp(dist)?;
    let (path, size) = write_single_file(dist)?;
    println!(
        "single file: {} ({:.2} MiB of at most {:.0} MiB)\n  SHA-256: {}",
        path.display(),
        size as f64 / f64::from(1 << 20),
        SINGLE_FILE_BUDGET as f64 / f64::from(1 << 20),
        sha256_hex(&read_bytes(&path)?)
    );
    if size > SINGLE_FILE_BUDGET {
        return Err(format!("{} is larger than its budget", path.display()));
    }
    Ok(())
}

/// Adds the Content Security Policy to `dist/index.html` (multi-file build): scripts only the
/// app's own files and the hashed inline loader, wasm compilation, the worker from the same
/// origin, fetches only of the app's own wasm.
pub fn add_csp(dist: &Path) -> Result {
    let path = dist.join("index.html");
    let index = read_text(&path)?;
    let without = tolerate_wasm_mime(&remove_csp(&index));
    let scripts = inline_scripts(&without)
        .iter()
        .map(|s| hash_source(s))
        .collect::<Vec<_>>()
        .join(" ");
    let policy = format!(
        "{COMMON_POLICY}; script-src 'self' {scripts} 'wasm-unsafe-eval'; \
         style-src 'self'; worker-src 'self' blob:; connect-src 'self'"
    );
    fs::write(&path, insert_csp(&without, &policy)?)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes `dist/lagebild.html` from the multi-file build in `dist` and returns its path and size.
pub fn write_single_file(dist: &Path) -> Result<(PathBuf, u64)> {
    let build = Build::read(dist)?;
    let css = read_text(&dist.join(&build.css_file))?;
    let main_js = module_as_script(&read_text(&dist.join(&build.main_js))?)?;
    let worker_js = read_text(&dist.join("lagebild-worker.js"))?;
    let main_wasm = BASE64.encode(gzip(&read_bytes(&dist.join(&build.main_wasm))?)?);
    let worker_wasm = BASE64.encode(gzip(&read_bytes(&dist.join("lagebild-worker_bg.wasm"))?)?);
    for (name, text) in [
        ("app JavaScript", &main_js),
        ("worker JavaScript", &worker_js),
    ] {
        if text.contains("</script") {
            return Err(format!("the {name} contains `</script`: cannot inline it"));
        }
    }
    if css.contains("</style") {
        return Err("the stylesheet contains `</style`: cannot inline it".into());
    }

    let classic = classic_scripts(&build.index)
        .iter()
        .map(|src| read_text(&dist.join(src.trim_start_matches("./"))))
        .collect::<Result<Vec<_>>>()?;
    if classic.iter().any(|js| js.contains("</script")) {
        return Err("a page script contains `</script`: cannot inline it".into());
    }
    let loader = format!(
        "{LOADER_PRELUDE}\n{main_js}\nawait __wbg_init({{ module_or_path: await lagebildInflate(document.getElementById('lagebild-main-wasm').textContent) }});\n"
    );
    let policy = format!(
        "{COMMON_POLICY}; script-src {} 'wasm-unsafe-eval'; style-src {}; worker-src blob:; \
         connect-src 'none'",
        classic
            .iter()
            .chain([&loader])
            .map(|js| hash_source(js))
            .collect::<Vec<_>>()
            .join(" "),
        hash_source(&css),
    );
    let head_end = build
        .index
        .find("<link rel=\"stylesheet\"")
        .ok_or("dist/index.html: no stylesheet link found")?;
    let body_start = build
        .index
        .find("<body>")
        .ok_or("dist/index.html: no <body>")?;
    let mut html = String::with_capacity(main_wasm.len() + worker_wasm.len() + (1 << 20));
    html.push_str(&insert_csp(&build.index[..head_end], &policy)?);
    html.push_str("<style>");
    html.push_str(&css);
    html.push_str("</style>\n");
    html.push_str("<script type=\"application/octet-stream\" id=\"lagebild-main-wasm\">");
    html.push_str(&main_wasm);
    html.push_str(
        "</script>\n<script type=\"application/octet-stream\" id=\"lagebild-worker-wasm\">",
    );
    html.push_str(&worker_wasm);
    html.push_str("</script>\n<script type=\"text/plain\" id=\"lagebild-worker-js\">");
    html.push_str(&worker_js);
    html.push_str("</script>\n");
    for js in &classic {
        html.push_str("<script>");
        html.push_str(js);
        html.push_str("</script>\n");
    }
    html.push_str("<script type=\"module\">");
    html.push_str(&loader);
    html.push_str("</script>\n</head>\n");
    html.push_str(&build.index[body_start..]);

    let path = dist.join("lagebild.html");
    fs::write(&path, &html).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((path, html.len() as u64))
}

/// `bytes` gzip-compressed (the single file unpacks them with the browser's own
/// `DecompressionStream`: a third of the size, nothing fetched).
fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("cannot compress the wasm module: {e}"))
}

/// Decodes the data blocks and starts the worker from a `blob:` URL. The worker's script is its
/// wasm-bindgen glue followed by its own wasm in base64 and the call that instantiates it.
const LOADER_PRELUDE: &str = r#"const lagebildInflate = async (text) => {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};
{
  const glue = document.getElementById('lagebild-worker-js').textContent;
  const wasm = document.getElementById('lagebild-worker-wasm').textContent.trim();
  const start = '\nconst lagebildInflate = ' + lagebildInflate.toString() + ';\n' +
    'lagebildInflate(lagebildWorkerWasm).then((bytes) => wasm_bindgen({ module_or_path: bytes }));\n';
  const blob = new Blob([glue, '\nconst lagebildWorkerWasm = "', wasm, '";', start],
    { type: 'text/javascript' });
  globalThis.LAGEBILD_WORKER_URL = URL.createObjectURL(blob);
}"#;

/// wasm-bindgen's ES module glue as plain module-script code: `export` keywords dropped, the
/// export list removed (the loader calls `__wbg_init` directly).
fn module_as_script(js: &str) -> Result<String> {
    let mut out = String::with_capacity(js.len());
    for line in js.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("import ") {
            return Err(
                "the app's JavaScript imports other files (snippets): the single file cannot \
                 inline them yet"
                    .into(),
            );
        }
        if trimmed.starts_with("export {") {
            continue;
        }
        match line.strip_prefix("export ") {
            Some(rest) => out.push_str(rest),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    if !out.contains("async function __wbg_init") {
        return Err(
            "the app's JavaScript has no `__wbg_init`: wasm-bindgen changed its glue".into(),
        );
    }
    Ok(out)
}

/// Trunk's loader passes the wasm path to wasm-bindgen, which compiles streaming and warns
/// (falling back) when a server such as IIS sends `.wasm` without `application/wasm`. The
/// loader fetches the module itself instead and hands wasm-bindgen the response only when its
/// type allows streaming, its bytes otherwise: silent and correct either way.
fn tolerate_wasm_mime(index: &str) -> String {
    let marker = "module_or_path: './";
    let Some(start) = index.find(marker) else {
        return index.to_string();
    };
    let path_start = start + "module_or_path: ".len();
    let Some(len) = index[path_start..].find(" }") else {
        return index.to_string();
    };
    let path = &index[path_start..path_start + len];
    format!(
        "{}module_or_path: fetch({path}).then((r) => (r.headers.get('content-type') ?? '').startsWith('application/wasm') ? r : r.arrayBuffer()){}",
        &index[..start],
        &index[path_start + len..]
    )
}

/// SHA-256 of a file's bytes in lower-case hex, as `sha256sum` and `Get-FileHash` print it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `'sha256-…'` of a script or style element's text.
fn hash_source(text: &str) -> String {
    format!(
        "'sha256-{}'",
        BASE64.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The text of every inline `<script>` without `src` and with executable type.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let executable =
            !tag.contains(" src=") && (!tag.contains("type=") || tag.contains("type=\"module\""));
        if executable {
            out.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    out
}

/// The `src` of every classic `<script src=…>` of the page (e.g. `page_helpers.js`), in order.
fn classic_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script src=\"") {
        let after = &rest[start + "<script src=\"".len()..];
        let Some(end) = after.find('"') else {
            break;
        };
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// Inserts the policy as a meta tag right after `<meta charset…>`, before any script.
fn insert_csp(html: &str, policy: &str) -> Result<String> {
    let charset = html
        .find("<meta charset")
        .ok_or("index.html: no <meta charset> to put the policy after")?;
    let end = charset
        + html[charset..]
            .find('>')
            .ok_or("index.html: unterminated <meta charset>")?
        + 1;
    Ok(format!(
        "{}\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\" />{}",
        &html[..end],
        &html[end..]
    ))
}

/// `html` without a policy meta tag added earlier (so `add_csp` can run twice).
fn remove_csp(html: &str) -> String {
    let marker = "<meta http-equiv=\"Content-Security-Policy\"";
    match html.find(marker) {
        Some(start) => {
            let line_start = html[..start].rfind('\n').unwrap_or(start);
            let end = html[start..]
                .find("/>")
                .map_or(html.len(), |e| start + e + 2);
            format!("{}{}", &html[..line_start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// The text between `prefix` and the next `suffix` (e.g. a hashed file stem).
fn attribute_value<'a>(html: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    let start = html.find(prefix)? + prefix.len();
    let len = html[start..].find(suffix)?;
    Some(&html[start..start + len])
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<!DOCTYPE html>\n<html lang=\"de\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>Lagebild</title>\n<script type=\"module\">\nimport init from './a.js';\n</script>\n<script type=\"application/octet-stream\">AAAA</script>\n</head><body></body></html>";

    #[test]
    fn csp_goes_before_every_script_and_hashes_only_executable_ones() {
        let scripts = inline_scripts(INDEX);
        assert_eq!(scripts, vec!["\nimport init from './a.js';\n"]);
        let html = insert_csp(INDEX, "default-src 'none'").unwrap_or_default();
        let csp = html.find("Content-Security-Policy").unwrap_or(usize::MAX);
        assert!(csp < html.find("<script").unwrap_or(0));
        assert_eq!(remove_csp(&html), INDEX);
        assert_eq!(
            classic_scripts(
                "<script src=\"a.js\"></script><script type=\"module\"></script><script src=\"./b.js\"></script>"
            ),
            vec!["a.js", "./b.js"]
        );
    }

    #[test]
    fn module_glue_loses_its_exports() {
        let js = "export class A {}\nexport function f() {}\nasync function __wbg_init() {}\nexport { initSync, __wbg_init as default };\n";
        let out = module_as_script(js).unwrap_or_default();
        assert_eq!(
            out,
            "class A {}\nfunction f() {}\nasync function __wbg_init() {}\n"
        );
        assert!(
            module_as_script("import x from './s.js';\nasync function __wbg_init() {}").is_err()
        );
    }

    #[test]
    fn hash_matches_a_known_value() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hash_source("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
