//! How messages cross between the page and the worker: bincode, as gloo-worker's default
//! codec, plus the handles of the files the user chose. A [`web_sys::File`] is not its bytes:
//! the page hands the handle over (the browser clones it without copying the content) and the
//! worker reads each file only when its turn comes. So the page never holds a file's bytes and
//! the worker holds one file at a time.
//!
//! A message with file handles is posted as an array `[bincode bytes, File, File, …]`; in the
//! bincode bytes each handle is its index in that array.

use std::cell::RefCell;

use gloo_worker::Codec;
use js_sys::{Array, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};

thread_local! {
    /// Handles met while encoding the current message.
    static OUTGOING: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
    /// Handles of the message being decoded, taken as their indices are read.
    static INCOMING: RefCell<Vec<Option<JsValue>>> = const { RefCell::new(Vec::new()) };
}

/// The codec of the page's and the worker's messages (set on both ends).
#[derive(Debug)]
pub struct FileCodec;

impl Codec for FileCodec {
    fn encode<I>(input: I) -> JsValue
    where
        I: Serialize,
    {
        OUTGOING.with_borrow_mut(Vec::clear);
        let buf = bincode::serialize(&input).expect_throw("Nachricht nicht kodierbar");
        let bytes = JsValue::from(Uint8Array::from(buf.as_slice()));
        let handles = OUTGOING.with_borrow_mut(std::mem::take);
        if handles.is_empty() {
            return bytes;
        }
        let message = Array::new();
        message.push(&bytes);
        for handle in &handles {
            message.push(handle);
        }
        message.into()
    }

    fn decode<O>(input: JsValue) -> O
    where
        O: for<'de> Deserialize<'de>,
    {
        let bytes = if Array::is_array(&input) {
            let message: Array = input.unchecked_into();
            let handles = message.iter().skip(1).map(Some).collect();
            INCOMING.with_borrow_mut(|incoming| *incoming = handles);
            message.get(0)
        } else {
            input
        };
        let data = Uint8Array::from(bytes).to_vec();
        let output = bincode::deserialize(&data).expect_throw("Nachricht nicht lesbar");
        INCOMING.with_borrow_mut(Vec::clear);
        output
    }
}

/// `#[serde(with = "crate::transfer::handle")]` for a [`web_sys::File`] in a message: the
/// handle travels beside the bincode bytes (only through [`FileCodec`]).
pub mod handle {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};
    use wasm_bindgen::{JsCast, JsValue};

    use super::{INCOMING, OUTGOING};

    /// Puts the handle beside the message and writes its index.
    pub fn serialize<S: Serializer>(
        file: &web_sys::File,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let index = OUTGOING.with_borrow_mut(|outgoing| {
            outgoing.push(JsValue::from(file.clone()));
            outgoing.len()
        });
        serializer.serialize_u32(index as u32)
    }

    /// Takes the handle with the index read from the message.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<web_sys::File, D::Error> {
        let index = u32::deserialize(deserializer)? as usize;
        INCOMING
            .with_borrow_mut(|incoming| {
                incoming
                    .get_mut(index.wrapping_sub(1))
                    .and_then(Option::take)
            })
            .map(JsCast::unchecked_into)
            .ok_or_else(|| D::Error::custom("file handle missing beside the message"))
    }
}
