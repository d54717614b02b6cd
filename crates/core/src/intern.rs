//! String interning: names, streets and codes repeat many times across a register, so records
//! hold a 4-byte [`Sym`] and the text lives once in a [`StringPool`]. This keeps a city's
//! records small in the browser's memory and lets later stages compute per distinct value
//! (phonetic codes, name frequencies) instead of per record.

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;
use hashbrown::HashTable;

/// Handle of an interned string in a [`StringPool`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

impl Sym {
    /// The empty string, present in every pool.
    pub const EMPTY: Sym = Sym(0);

    /// Position of the string in its pool (dense, starting at 0 for the empty string).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Append-only store of distinct strings.
#[derive(Clone)]
pub struct StringPool {
    text: String,
    spans: Vec<(u32, u32)>,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Default for StringPool {
    fn default() -> Self {
        let mut pool = StringPool {
            text: String::new(),
            spans: Vec::new(),
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        };
        pool.intern("");
        pool
    }
}

impl std::fmt::Debug for StringPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StringPool")
            .field("strings", &self.spans.len())
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl StringPool {
    /// A pool holding only the empty string.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the handle of `s`, adding it if it is new.
    pub fn intern(&mut self, s: &str) -> Sym {
        let hash = self.hasher.hash_one(s);
        let (text, spans) = (&self.text, &self.spans);
        let span_text = |i: &u32| {
            let (start, len) = spans[*i as usize];
            &text[start as usize..(start + len) as usize]
        };
        if let Some(i) = self.table.find(hash, |i| span_text(i) == s) {
            return Sym(*i);
        }
        let index = self.spans.len() as u32;
        let start = self.text.len() as u32;
        self.text.push_str(s);
        self.spans.push((start, s.len() as u32));
        let (text, spans, hasher) = (&self.text, &self.spans, &self.hasher);
        self.table.insert_unique(hash, index, |i| {
            let (start, len) = spans[*i as usize];
            hasher.hash_one(&text[start as usize..(start + len) as usize])
        });
        Sym(index)
    }

    /// The handle of `s` if it was interned before.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        let hash = self.hasher.hash_one(s);
        self.table
            .find(hash, |i| self.get(Sym(*i)) == s)
            .map(|i| Sym(*i))
    }

    /// The text of `sym`; the empty string for a handle from another pool that is out of range.
    pub fn get(&self, sym: Sym) -> &str {
        match self.spans.get(sym.index()) {
            Some(&(start, len)) => &self.text[start as usize..(start + len) as usize],
            None => "",
        }
    }

    /// Number of distinct strings, including the empty one.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True if only the empty string is present.
    pub fn is_empty(&self) -> bool {
        self.spans.len() <= 1
    }

    /// Bytes of text held.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_returns_the_same_handle_for_the_same_text() {
        let mut pool = StringPool::new();
        let a = pool.intern("Müller");
        let b = pool.intern("Yılmaz");
        assert_eq!(pool.intern("Müller"), a);
        assert_ne!(a, b);
        assert_eq!(pool.get(a), "Müller");
        assert_eq!(pool.get(b), "Yılmaz");
        assert_eq!(pool.intern(""), Sym::EMPTY);
        assert_eq!(pool.lookup("Yılmaz"), Some(b));
        assert_eq!(pool.lookup("Meier"), None);
        assert_eq!(pool.len(), 3);
    }

    #[test]
    fn many_strings_survive_table_growth() {
        let mut pool = StringPool::new();
        let syms: Vec<Sym> = (0..10_000).map(|i| pool.intern(&format!("s{i}"))).collect();
        for (i, sym) in syms.iter().enumerate() {
            assert_eq!(pool.get(*sym), format!("s{i}"));
            assert_eq!(pool.lookup(&format!("s{i}")), Some(*sym));
        }
    }
}
