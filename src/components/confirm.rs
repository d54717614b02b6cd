//! A question before something that cannot be undone (ending the session, cancelling a run,
//! removing a file): an in-page modal `<dialog>` with German text. The safe answer has the
//! focus, Escape keeps everything as it is, and the focus returns to where it was.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the analyst is asked.
#[derive(Clone)]
pub struct Question {
    /// The question as the dialog's heading ("Sitzung beenden?").
    pub title: String,
    /// What happens on going ahead.
    pub text: String,
    /// Label of the button that goes ahead.
    pub go_ahead: &'static str,
    /// Label of the button that keeps everything as it is (it has the focus).
    pub keep: &'static str,
    /// Runs when the analyst goes ahead, and only then.
    pub on_confirm: Callback<()>,
    /// The question stands only while this is true (a run to cancel is still going): the
    /// dialog closes itself, answered with "keep", when it turns false. `None`: it stands
    /// until answered.
    pub stands: Option<Signal<bool>>,
}

/// The question pending, shared through the context (a small `Copy` handle).
#[derive(Clone, Copy)]
pub struct Confirm {
    pending: RwSignal<Option<Question>>,
}

impl Confirm {
    /// Asks `question` in the dialog; its action runs only if the analyst goes ahead.
    pub fn ask(self, question: Question) {
        self.pending.set(Some(question));
    }
}

/// Creates the shared question and provides it to every component below (the shell shows it
/// in [`ConfirmDialog`]).
pub fn provide_confirm() -> Confirm {
    let confirm = Confirm {
        pending: RwSignal::new(None),
    };
    provide_context(confirm);
    confirm
}

/// The shared question the shell provided.
pub fn use_confirm() -> Confirm {
    expect_context::<Confirm>()
}

/// The modal dialog of the pending question (once, in the shell).
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let pending = use_confirm().pending;
    let dialog = NodeRef::<html::Dialog>::new();
    let return_to = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let asked = pending.with(|q| {
            q.as_ref()
                .is_some_and(|q| q.stands.is_none_or(|stands| stands.get()))
        });
        let Some(dialog) = dialog.get() else {
            return;
        };
        if asked && !dialog.open() {
            let focused = document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            return_to.set_value(focused);
            let _ = dialog.show_modal();
        } else if !asked && dialog.open() {
            dialog.close();
        }
    });
    // Closed by either button or by Escape: nothing is pending any more, and the focus goes
    // back to the control that asked (or to the page's content if that is gone).
    let on_close = move |_| {
        pending.set(None);
        let back = return_to
            .try_update_value(Option::take)
            .flatten()
            .filter(|e| e.is_connected())
            .or_else(|| {
                document()
                    .get_element_by_id("inhalt")
                    .and_then(|e| e.dyn_into().ok())
            });
        if let Some(element) = back {
            let _ = element.focus();
        }
    };
    let keep = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let go_ahead = move |_| {
        let question = pending.get_untracked();
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
        if let Some(question) = question {
            question.on_confirm.run(());
        }
    };
    let text = move |part: fn(&Question) -> String| move || pending.with(|q| q.as_ref().map(part));
    view! {
        <dialog
            node_ref=dialog
            class="confirm"
            data-testid="confirm-dialog"
            aria-labelledby="confirm-title"
            aria-describedby="confirm-text"
            on:close=on_close
        >
            <h2 id="confirm-title" data-testid="confirm-title">{text(|q| q.title.clone())}</h2>
            <p id="confirm-text" data-testid="confirm-text">{text(|q| q.text.clone())}</p>
            <div class="confirm-buttons">
                <button
                    type="button"
                    class="button secondary"
                    data-testid="confirm-keep"
                    autofocus=true
                    on:click=keep
                >
                    {text(|q| q.keep.to_owned())}
                </button>
                <button type="button" class="button danger" data-testid="confirm-go" on:click=go_ahead>
                    {text(|q| q.go_ahead.to_owned())}
                </button>
            </div>
        </dialog>
    }
}
