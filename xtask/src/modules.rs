//! `cargo xtask modules`: the import cycles between the modules of a crate. A module uses
//! another when one of its paths (`use crate::…`, `super::…`, `crate::x::f()`) names it.
//! Using an ancestor's items is how Rust modules are built and does not count; everything
//! else must run one way: a cycle at any level of nesting (`import` <-> `geo`,
//! `reports::dimensions` <-> `reports::linked`, `app` <-> `pages`) is reported.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use crate::util::{self, Result};

/// A module path below the crate root (`["reports", "linked"]`); empty for the root.
type ModulePath = Vec<String>;

/// The crates whose modules must not form cycles, by source folder below the project root.
pub const CHECKED: [&str; 3] = ["crates/core/src", "crates/cli/src", "src"];

/// Prints the cycles of the crates with sources in `dirs` (default: every checked crate); an
/// error if there is one.
pub fn run(dirs: &[String]) -> Result {
    let dirs: Vec<PathBuf> = if dirs.is_empty() {
        CHECKED.iter().map(|d| util::root().join(d)).collect()
    } else {
        dirs.iter().map(PathBuf::from).collect()
    };
    let mut found = 0;
    for dir in &dirs {
        let cycles = cycles_of(dir)?;
        let dir = dir.display();
        for cycle in &cycles {
            println!("{dir}: Zyklus zwischen {}", cycle.join(", "));
        }
        found += cycles.len();
        if cycles.is_empty() {
            println!("{dir}: keine Zyklen");
        }
    }
    if found > 0 {
        return Err(format!("{found} Importzyklus/-zyklen zwischen Modulen"));
    }
    Ok(())
}

/// The import cycles between the modules of the crate whose sources lie in `src` (its
/// `lib.rs` or `main.rs` is the root; `bin/` holds other crates and is skipped). Each cycle
/// is given as the modules on it, written `a::b`, in a stable order.
pub fn cycles_of(src: &Path) -> Result<Vec<Vec<String>>> {
    let mut uses: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
    for file in rust_files(src)? {
        let module = module_of(src, &file);
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("{} nicht lesbar: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut paths = PathCollector {
            module: module.clone(),
            // `super` of `a/b.rs` is `a`; of `a/mod.rs` (module `a`) it is the root.
            super_base: module[..module.len().saturating_sub(1)].to_vec(),
            found: Vec::new(),
        };
        paths.visit_file(&parsed);
        uses.entry(module).or_default().extend(paths.found);
    }
    Ok(cycles_in(&uses))
}

/// The cycles of a module graph given as "module uses paths", at every level of nesting.
fn cycles_in(uses: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<String>> {
    let modules: BTreeSet<&ModulePath> = uses.keys().collect();
    // Each used path resolved to the deepest module it names.
    let mut edges: BTreeSet<(ModulePath, ModulePath)> = BTreeSet::new();
    for (from, paths) in uses {
        for path in paths {
            let Some(to) = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p))
            else {
                continue;
            };
            if !from.starts_with(&to) {
                edges.insert((from.clone(), to));
            }
        }
    }
    let deepest = modules.iter().map(|m| m.len()).max().unwrap_or(0);
    let mut cycles: BTreeSet<Vec<String>> = BTreeSet::new();
    for depth in 1..=deepest {
        let cut = |m: &ModulePath| m[..m.len().min(depth)].to_vec();
        let mut graph: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
        for (from, to) in &edges {
            let (a, b) = (cut(from), cut(to));
            if a.starts_with(&b) || b.starts_with(&a) {
                continue;
            }
            graph.entry(a).or_default().insert(b.clone());
            graph.entry(b).or_default();
        }
        for component in strongly_connected(&graph) {
            if component.len() > 1 {
                cycles.insert(component.iter().map(|m| m.join("::")).collect());
            }
        }
    }
    cycles.into_iter().collect()
}

/// The strongly connected components of `graph` (Tarjan), each sorted.
fn strongly_connected(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct State<'g> {
        graph: &'g BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'g ModulePath, usize>,
        low: BTreeMap<&'g ModulePath, usize>,
        stack: Vec<&'g ModulePath>,
        on_stack: BTreeSet<&'g ModulePath>,
        components: Vec<Vec<ModulePath>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g ModulePath) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            component.sort();
            s.components.push(component);
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.components
}

/// Collects the crate paths a file names, outside `#[cfg(test)]` items.
struct PathCollector {
    module: ModulePath,
    super_base: ModulePath,
    found: Vec<ModulePath>,
}

impl PathCollector {
    /// The absolute module path of `segments` as written in this file, if it starts at the
    /// crate root (`crate::`) or a parent (`super::`).
    fn resolve(&self, segments: &[String]) -> Option<ModulePath> {
        let (first, rest) = segments.split_first()?;
        match first.as_str() {
            "crate" => Some(rest.to_vec()),
            "super" => {
                let mut base = self.super_base.clone();
                let mut rest = rest;
                while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
                    base.pop();
                    rest = tail;
                }
                base.extend(rest.iter().cloned());
                Some(base)
            }
            "self" => {
                let mut base = self.module.clone();
                base.extend(rest.iter().cloned());
                Some(base)
            }
            _ => None,
        }
    }

    fn record(&mut self, segments: &[String]) {
        if let Some(path) = self.resolve(segments) {
            self.found.push(path);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                if n.ident == "self" {
                    self.record(prefix);
                } else {
                    prefix.push(n.ident.to_string());
                    self.record(prefix);
                    prefix.pop();
                }
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.record(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.record(prefix),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }
}

/// True for `#[cfg(test)]`.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for PathCollector {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_fn(self, item);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if !is_test_only(&item.attrs) {
            syn::visit::visit_item_impl(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if !is_test_only(&item.attrs) {
            self.use_tree(&mut Vec::new(), &item.tree);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(&segments);
        syn::visit::visit_path(self, path);
    }
}

/// Every `.rs` file below `src`, without `bin/` (other crates).
fn rust_files(src: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("{} nicht lesbar: {e}", dir.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|e| format!("{} nicht lesbar: {e}", dir.display()))?
                .path();
            if path.is_dir() {
                if path != src.join("bin") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The module a file holds: `reports/linked.rs` and `reports/linked/mod.rs` are
/// `reports::linked`, `lib.rs` and `main.rs` the root.
fn module_of(src: &Path, file: &Path) -> ModulePath {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: ModulePath = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the files `(path, text)` into a fresh folder and returns its cycles.
    fn cycles(files: &[(&str, &str)]) -> Vec<Vec<String>> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("lagebild-modules-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let found = cycles_of(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        found
    }

    #[test]
    fn finds_cycles_at_every_level() {
        let found = cycles(&[
            ("lib.rs", "pub mod a; pub mod b;"),
            ("a/mod.rs", "pub mod x; pub mod y;"),
            ("a/x.rs", "use super::y::Y; pub struct X;"),
            ("a/y.rs", "pub struct Y(crate::a::x::X);"),
            ("b.rs", "use crate::{a::x::X, a::y};"),
        ]);
        assert_eq!(found, vec![vec!["a::x".to_string(), "a::y".to_string()]]);
        let found = cycles(&[
            ("lib.rs", "pub mod a; pub mod b;"),
            ("a.rs", "pub fn f() { crate::b::g() }"),
            ("b/mod.rs", "pub mod inner;"),
            ("b/inner.rs", "use super::super::a as other;"),
        ]);
        assert_eq!(found, vec![vec!["a".to_string(), "b".to_string()]]);
    }

    #[test]
    fn parents_and_tests_do_not_count() {
        let found = cycles(&[
            ("lib.rs", "pub mod a; pub struct Root;"),
            ("a/mod.rs", "pub mod x; pub struct Shared; use x::X;"),
            (
                "a/x.rs",
                "use super::Shared; use crate::Root; pub struct X;",
            ),
            ("main.rs", "#[cfg(test)] mod tests { use crate::a::x::X; }"),
        ]);
        assert!(found.is_empty(), "{found:?}");
        let found = cycles(&[
            ("lib.rs", "pub mod a; pub mod b;"),
            (
                "a.rs",
                "pub struct A; #[cfg(test)] mod tests { use crate::b::B; }",
            ),
            ("b.rs", "use crate::a::A; pub struct B;"),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_crates_of_the_project_have_no_module_cycles() {
        for dir in CHECKED {
            let found = cycles_of(&util::root().join(dir)).unwrap();
            assert!(found.is_empty(), "{dir}: {found:?}");
        }
    }
}
