//! The Web Worker: runs the pipeline off the page's thread.

use gloo_worker::Registrable;

fn main() {
    console_error_panic_hook::set_once();
    lagebild::worker::Pipeline::registrar()
        .encoding::<lagebild::transfer::FileCodec>()
        .register();
}
