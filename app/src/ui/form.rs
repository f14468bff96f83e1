use leptos::{prelude::*, server_fn::error::ServerFnUrlError};

use super::{FormAction, TextArea};
use crate::error::{AppError, FieldError};

/// The error a form posted without JavaScript left in this page's address.
///
/// leptos_axum answers such a post by redirecting back with the server
/// function's error in `__err`, and every action whose path matches `__path`
/// starts out holding it. Anyone can write that address into a link, so an
/// error equal to this one is shown through [`as_read_from_url`].
fn error_in_url() -> Option<AppError> {
    let url = leptos_router::hooks::use_url().get_untracked();
    let encoded = url.search_params().get_str("__err")?;
    Some(ServerFnUrlError::<AppError>::decode_err(encoded))
}

/// The error that a plain post to one of `paths` left in this page's
/// address, made safe to show, with the path it was posted to: for a page
/// whose forms have no action of their own to hold it (the study page's).
pub fn error_posted_to(paths: &[&'static str]) -> Option<(&'static str, AppError)> {
    let url = leptos_router::hooks::use_url().get_untracked();
    let posted_to = url.search_params().get_str("__path")?;
    let path = paths.iter().copied().find(|path| *path == posted_to)?;
    Some((path, as_read_from_url(error_in_url()?)))
}

/// An error as it may be shown when it was read from the page's address:
/// only text of our own. Variants with fixed text keep it. `Conflict` and
/// `BadRequest` carry free text, so they get their variant's generic text
/// (an error that did not even parse is a `BadRequest` whose text quotes the
/// input). A field message survives only if it is one of the account forms'
/// known messages: those are the forms a signed-out visitor can be sent to,
/// and a generic "Check this field." would leave them guessing what is
/// wrong; so does one of the shared rules' fixed messages, or an upload
/// refusal as the server words it (the course cover's form without
/// JavaScript). Any other message becomes that generic one.
pub fn as_read_from_url(error: AppError) -> AppError {
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|error| FieldError {
                    message: if crate::auth::messages::ALL.contains(&error.message.as_str())
                        || super::validate::is_rule_message(&error.message)
                        || crate::media::is_upload_refusal(&error.message)
                    {
                        error.message
                    } else {
                        "Check this field.".to_owned()
                    },
                    field: error.field,
                })
                .collect(),
        ),
        AppError::Conflict(_) => AppError::Conflict(
            "That could not be done as things stand. Reload the page and try again.".into(),
        ),
        AppError::BadRequest(message) if crate::error::REFUSED_BEFORE_READING.contains(&message.as_str()) => {
            AppError::BadRequest(message)
        }
        AppError::BadRequest(_) => AppError::BadRequest("please reload the page and try again".into()),
        fixed_text => fixed_text,
    }
}

/// `error` as it may be shown: made safe if it is the one from the address.
/// An error an action received from the server itself is shown as it is
/// (one identical to the address's is made safe too, which costs nothing).
fn displayable(error: AppError, in_url: &Option<AppError>) -> AppError {
    if in_url.as_ref() == Some(&error) {
        as_read_from_url(error)
    } else {
        error
    }
}

/// The error a form shows: the server's latest answer once the form has been
/// sent from this page. Before that, `kept`, an error the server kept for
/// this page (our own text), or else the one in the address, made safe.
pub fn latest_save_error(
    answer: Signal<Option<AppError>>,
    sends: Signal<usize>,
    kept: Option<AppError>,
) -> Signal<Option<AppError>> {
    Signal::derive(move || {
        if sends.get() > 0 {
            answer.get()
        } else {
            kept.clone().or_else(|| answer.get().map(as_read_from_url))
        }
    })
}

/// The message shown under a field for `field`, from the latest error. An
/// error read from the page's address is made safe first, as everywhere.
pub fn field_message(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> {
    let in_url = error_in_url();
    move || {
        error
            .get()
            .and_then(|error| displayable(error, &in_url).field_message(field))
    }
}

#[component]
pub fn FieldMessage(#[prop(into)] message: Signal<Option<String>>, id: String) -> impl IntoView {
    // Polite: a message that appears after a save is read out once the
    // screen reader is done, and the field it describes says it again.
    view! {
        <p id=id class="min-h-5 text-sm text-red-600 dark:text-red-400" aria-live="polite">
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
    /// The value to show at first, such as what was submitted before an error.
    #[prop(default = None)]
    value: Option<String>,
) -> impl IntoView {
    let id = format!("field-{field}");
    let message_id = format!("{id}-message");
    let in_url = error_in_url();
    let message = Memo::new(move |_| {
        error
            .get()
            .and_then(|error| displayable(error, &in_url).field_message(field))
    });
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
                value=value
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
    let in_url = error_in_url();
    move || {
        error.get().map(|error| {
            let error = displayable(error, &in_url);
            view! {
                <div role="alert" data-testid="form-error" class="alert-error text-sm">
                    {error.to_string()}
                </div>
            }
        })
    }
}

/// A save's error that no field's message says (no connection, a session
/// that ended, a refusal): the form's own, for a form whose fields show the
/// rest, where `FormError` would repeat them as "Please correct the
/// highlighted fields.".
#[component]
pub fn ErrorOutsideFields(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let outside = Signal::derive(move || {
        error
            .get()
            .filter(|error| !matches!(error, AppError::Validation(_)))
    });
    view! { <FormError error=outside /> }
}

/// While a save runs, a second press of its button (or Enter in one of its
/// fields) is not sent again. The button is marked `aria-disabled` rather
/// than `disabled`: a browser takes the focus away from a disabled button,
/// and a learner on the keyboard would find it back at the top of the page
/// once the save is done.
pub fn refuse_while_pending(pending: Signal<bool>) -> impl Fn(leptos::ev::MouseEvent) {
    move |event| {
        if pending.get_untracked() {
            event.prevent_default();
        }
    }
}

/// A primary submit button that is unavailable, and says so, while pending.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            aria-disabled=move || pending.get().to_string()
            aria-busy=move || pending.get().to_string()
            on:click=refuse_while_pending(pending)
            class="inline-flex w-full items-center justify-center rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-slate-900"
        >
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}

/// The end of a form that stays on its page: the save button, and "Saved."
/// beside it once the save went through.
#[component]
pub fn SaveRow(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] saved: Signal<bool>,
    /// What shows once saved, when "Saved." does not say enough.
    #[prop(default = "Saved.")]
    saved_text: &'static str,
    /// Extra classes for the row, such as a grid span.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! {
        <div class=format!("flex items-center gap-3 {class}")>
            <div class="w-48">
                <SubmitButton label pending_label="Saving…" pending />
            </div>
            <p role="status" class="text-sm text-emerald-700 dark:text-emerald-300">
                {move || saved.get().then_some(saved_text)}
            </p>
        </div>
    }
}

/// The button that confirms a deletion: red, and unavailable while it runs.
#[component]
pub fn DeleteButton(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    /// Extra classes, such as `w-full`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            aria-disabled=move || pending.get().to_string()
            on:click=refuse_while_pending(pending)
            class=format!("button-danger {class}")
        >
            {label}
        </button>
    }
}

/// A labelled field of a form that can share its page with others: its id is
/// `{prefix}-{field}`, it is named `input[{field}]`, and the server's message
/// for `field` shows under it and describes it to screen readers.
#[component]
pub fn Field(
    prefix: &'static str,
    field: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The control: `FieldControl::Input`, `TextArea` or `Select`.
    control: FieldControl,
    #[prop(optional, into)] value: String,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] disabled: bool,
    /// An input's type, such as `password` or `email` (text when left out).
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// What a browser or password manager may fill in, such as `new-password`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// Extra classes for the field's box, such as a grid span.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let id = format!("{prefix}-{field}");
    let message_id = format!("{id}-message");
    let name = format!("input[{field}]");
    let message = Signal::derive(field_message(error, field));
    let invalid = move || message.get().is_some().to_string();
    let control = match control {
        FieldControl::Input => view! {
            <input
                id=id.clone()
                name=name
                type=input_type
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                placeholder=placeholder
                disabled=disabled
                value=value
                aria-invalid=invalid
                aria-describedby=message_id.clone()
                class="field-input"
            />
        }
        .into_any(),
        FieldControl::TextArea { rows, limit } => view! {
            <TextArea
                id=id.clone()
                name=name
                rows=rows
                value=value
                required=required
                maxlength=maxlength
                described_by=message_id.clone()
                invalid=Signal::derive(move || message.get().is_some())
                limit
            />
        }
        .into_any(),
        FieldControl::Select(options) => view! {
            <select
                id=id.clone()
                name=name
                disabled=disabled
                aria-invalid=invalid
                aria-describedby=message_id.clone()
                class="field-input"
            >
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected = option == value;
                        view! {
                            <option value=option selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any(),
    };
    view! {
        <div class=class>
            <label for=id class="field-label">
                {label}
            </label>
            {control}
            <FieldMessage message id=message_id />
        </div>
    }
}

/// The control a [`Field`] shows.
pub enum FieldControl {
    Input,
    TextArea {
        rows: u32,
        /// The most the server takes, counted under the field near the end.
        limit: Option<super::TextLimit>,
    },
    /// Options as (value, text); the field's value picks the selected one.
    Select(Vec<(String, String)>),
}

/// leptos_router's `<Form>` puts the button that submitted it into the
/// query, as a bare `=` when the button has no name, so a search's address
/// would end in `&=`. Give this to a GET form's `on_form_data` to drop it.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn drop_nameless_field(form_data: &leptos::web_sys::FormData) {
    #[cfg(feature = "hydrate")]
    form_data.delete("");
}

/// How many times `action` has saved: its version, less the sends the
/// server turned down. A page reloads its data after a save and never after
/// a refusal: the reload would rebuild its forms from what is stored, and a
/// text area, whose content is a property, would lose what was typed (an
/// input keeps it, which hid this from the one-line fields).
pub fn saves<S>(action: FormAction<S>) -> Memo<usize>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + 'static,
    S::Output: Send + Sync + 'static,
{
    Memo::new(move |saves_before: Option<&usize>| {
        let version = action.version().get();
        let saved = action.value().with(|answer| matches!(answer, Some(Ok(_))));
        match saves_before {
            Some(&before) if !saved => before,
            _ => version,
        }
    })
}

/// Whether the form `form` saved: by the app (`action`'s last answer), or by
/// a post without JavaScript that came back to the page saying so
/// (`routes::saying_saved`).
pub fn saved_by<S>(action: FormAction<S>, form: &'static str) -> Signal<bool>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + 'static,
    S::Output: Send + Sync + 'static,
{
    // Followed, not read once: a page can also be sent to the address that
    // says a form saved while it is shown (the settings page is).
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        action.value().with(|answer| match answer {
            Some(answer) => answer.is_ok(),
            None => query.with(|query| query.get(crate::routes::SAVED).as_deref() == Some(form)),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_read_from_an_address_is_replaced_by_fixed_text() {
        let conflict = as_read_from_url(AppError::Conflict("Call +1 555 0100 now".into()));
        let bad_request = as_read_from_url(AppError::BadRequest("Call +1 555 0100 now".into()));
        for error in [conflict, bad_request] {
            assert!(!error.to_string().contains("555"), "{error}");
        }
        // The server's own refusals before reading a request keep their words.
        for refusal in crate::error::REFUSED_BEFORE_READING {
            let read = as_read_from_url(AppError::BadRequest(refusal.into()));
            assert_eq!(read, AppError::BadRequest(refusal.into()));
        }
    }

    #[test]
    fn only_known_field_messages_are_shown_from_an_address() {
        let error = as_read_from_url(AppError::Validation(vec![
            FieldError {
                field: "email".into(),
                message: "Your account is locked: call +1 555 0100".into(),
            },
            FieldError {
                field: "password".into(),
                message: crate::auth::messages::PASSWORD_TOO_SHORT.into(),
            },
        ]));
        assert_eq!(error.field_message("email").as_deref(), Some("Check this field."));
        assert_eq!(
            error.field_message("password").as_deref(),
            Some(crate::auth::messages::PASSWORD_TOO_SHORT)
        );
    }

    #[test]
    fn errors_with_fixed_text_read_from_an_address_are_kept() {
        for error in [
            AppError::InvalidCredentials,
            AppError::Forbidden,
            AppError::Internal,
        ] {
            assert_eq!(as_read_from_url(error.clone()), error);
        }
    }
}
