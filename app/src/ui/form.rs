use leptos::prelude::*;

use crate::error::AppError;

pub const INPUT_CLASS: &str =
    "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 \
     shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 \
     dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100";
pub const LABEL_CLASS: &str = "block text-sm font-medium text-slate-700 dark:text-slate-200";
pub const PANEL_CLASS: &str =
    "rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900";

/// The message shown under a field for `field`, from the latest error.
pub fn field_message(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> {
    move || error.get().and_then(|error| error.field_message(field))
}

#[component]
pub fn FieldMessage(#[prop(into)] message: Signal<Option<String>>, id: String) -> impl IntoView {
    view! {
        <p id=id class="min-h-5 text-sm text-red-600 dark:text-red-400">
            {move || message.get()}
        </p>
    }
}

/// A labelled input that shows its own validation message from `error`.
///
/// `name` is the full form name the server function reads (for example
/// `input[email]`); `field` is the key its errors are reported under.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    field: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] minlength: Option<usize>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let id = format!("field-{field}");
    let message_id = format!("{id}-message");
    let message = Memo::new(move |_| error.get().and_then(|error| error.field_message(field)));
    let input_class = move || {
        let state = if message.get().is_some() {
            "border-red-500 focus:border-red-500 focus:ring-red-500"
        } else {
            "border-slate-300 focus:border-indigo-500 focus:ring-indigo-500 dark:border-slate-600"
        };
        format!(
            "block w-full rounded-lg border bg-white px-3 py-2 text-slate-900 shadow-sm \
             focus:outline-none focus:ring-2 dark:bg-slate-800 dark:text-slate-100 {state}"
        )
    };
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700 dark:text-slate-200">
                {label}
            </label>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                required=true
                minlength=minlength
                maxlength=maxlength
                autofocus=autofocus
                aria-invalid=move || message.get().is_some().to_string()
                aria-describedby=message_id.clone()
                class=input_class
            />
            <p id=message_id class="min-h-5 text-sm">
                {move || match message.get() {
                    Some(message) => {
                        view! { <span class="text-red-600 dark:text-red-400">{message}</span> }.into_any()
                    }
                    None => {
                        view! { <span class="text-slate-500 dark:text-slate-400">{hint}</span> }.into_any()
                    }
                }}
            </p>
        </div>
    }
}

/// The form-level message: the error's sentence, for errors that are not
/// only about individual fields.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! {
                <div
                    role="alert"
                    data-testid="form-error"
                    class="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
                >
                    {error.to_string()}
                </div>
            }
        })
    }
}

/// A primary submit button that is disabled, and says so, while pending.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            disabled=move || pending.get()
            aria-busy=move || pending.get().to_string()
            class="inline-flex w-full items-center justify-center rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:cursor-wait disabled:opacity-60 dark:focus-visible:ring-offset-slate-900"
        >
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}
