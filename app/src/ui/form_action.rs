//! A form's server function, sent the form's own fields.
//!
//! Leptos's `ActionForm` reads a form's fields into its server function's
//! input type with `serde_qs`, and its `ServerAction` writes that input out
//! again with `serde_qs` to send it: a deserialiser, a serialiser and a copy
//! of the action machinery for every server function a form calls, which
//! were a quarter of the code of the readers' pages. A [`PostForm`] sends
//! the browser's own encoding of its fields instead, the body the same form
//! posts without JavaScript, so the server reads one request either way; and
//! a [`FormAction`] is generic only over what the function answers, which
//! most forms share. server_fn still builds and sends the request, reads an
//! error answer and follows a redirect.

use leptos::{
    html::Form,
    prelude::*,
    server::ServerActionError,
    server_fn::{error::ServerFnUrlError, ServerFn},
};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A server function that forms call, with its latest answer: the part of
/// Leptos's `ServerAction` that Engram's forms use. Only reading the answer
/// depends on `S`; sending is the same code for every form.
pub struct FormAction<S: ServerFn> {
    value: RwSignal<Option<Result<S::Output, AppError>>>,
    sends: Sends,
}

/// What a form's sends have in common, whatever the function.
#[derive(Clone, Copy)]
struct Sends {
    path: &'static str,
    /// Answers that have come back.
    version: RwSignal<usize>,
    in_flight: RwSignal<usize>,
    /// Sends started, so that only the latest one's answer is kept.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    started: StoredValue<usize>,
}

impl<S: ServerFn> Clone for FormAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for FormAction<S> {}

impl<S> FormAction<S>
where
    S: ServerFn<Error = AppError>,
    S::Output: Send + Sync + 'static,
{
    /// The action of the server function `S`. When the page is the answer
    /// to a post of this form without JavaScript, it starts out holding the
    /// error that post left in the address, as a `ServerAction` does.
    pub fn new() -> Self {
        Self {
            value: RwSignal::new(error_in_address_for(S::PATH).map(Err)),
            sends: Sends::to(S::PATH),
        }
    }

    /// The latest answer: none before the form was sent (unless the address
    /// holds one), then what the server said.
    pub fn value(&self) -> RwSignal<Option<Result<S::Output, AppError>>> {
        self.value
    }

    /// How many answers have come back.
    pub fn version(&self) -> RwSignal<usize> {
        self.sends.version
    }

    /// Whether a send is waiting for its answer.
    pub fn pending(&self) -> Signal<bool> {
        self.sends.pending()
    }
}

impl<S> Default for FormAction<S>
where
    S: ServerFn<Error = AppError>,
    S::Output: Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

/// The error that a post of a form to `path` without JavaScript left in
/// the page's address (the router reads it from there).
fn error_in_address_for(path: &str) -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|posted| posted.path() == path)
        .map(|posted| ServerFnUrlError::<AppError>::decode_err(posted.err()))
}

impl Sends {
    fn to(path: &'static str) -> Self {
        Self {
            path,
            version: RwSignal::new(0),
            in_flight: RwSignal::new(0),
            started: StoredValue::new(0),
        }
    }

    fn pending(self) -> Signal<bool> {
        Signal::derive(move || self.in_flight.get() > 0)
    }

    /// Sends `fields` and hands the answer's text to `answered`, unless a
    /// later send has started by then.
    #[cfg(feature = "hydrate")]
    fn send(self, fields: leptos::web_sys::FormData, answered: Box<dyn FnOnce(Result<String, AppError>)>) {
        self.in_flight.update(|count| *count += 1);
        let send = self.started.get_value() + 1;
        self.started.set_value(send);
        leptos::task::spawn_local(async move {
            let answer = post_fields(self.path, fields).await;
            // The page may have gone (a save that sent the browser elsewhere)
            // while the answer was on its way: then nobody is left to tell.
            self.in_flight
                .try_update(|count| *count = count.saturating_sub(1));
            if self.started.try_get_value() == Some(send) {
                self.version.try_update(|version| *version += 1);
                answered(answer);
            }
        });
    }
}

/// What a [`PostForm`] needs of its action: the address, and a way to send
/// the form that leaves the type of the answer behind.
#[derive(Clone, Copy)]
pub struct UntypedAction {
    url: &'static str,
    #[cfg(feature = "hydrate")]
    send: Callback<leptos::web_sys::FormData>,
}

impl<S> From<FormAction<S>> for UntypedAction
where
    S: ServerFn<Error = AppError>,
    S::Output: DeserializeOwned + Send + Sync + 'static,
{
    fn from(action: FormAction<S>) -> Self {
        UntypedAction {
            url: action.sends.path,
            #[cfg(feature = "hydrate")]
            send: Callback::new(move |fields| {
                let value = action.value;
                action.sends.send(
                    fields,
                    Box::new(move |answer| {
                        let answer = answer.and_then(|json| {
                            serde_json::from_str::<S::Output>(&json).map_err(|_| AppError::Internal)
                        });
                        value.try_set(Some(answer));
                    }),
                )
            }),
        }
    }
}

/// Posts `fields` to the server function at `path` as a form without
/// JavaScript would, asking for its answer as JSON: the answer's text, or
/// the error the server sent. A redirect the function asked for is followed
/// through the router's hook, as Leptos's own client does.
#[cfg(feature = "hydrate")]
async fn post_fields(path: &'static str, fields: leptos::web_sys::FormData) -> Result<String, AppError> {
    use leptos::server_fn::{
        client::{browser::BrowserClient, Client},
        codec::{Json, PostUrl},
        error::FromServerFnError,
        request::{browser::BrowserRequest, ClientReq},
        response::ClientRes,
        ContentType,
    };
    let request = <BrowserRequest as ClientReq<AppError>>::try_new_post_form_data(
        path,
        Json::CONTENT_TYPE,
        PostUrl::CONTENT_TYPE,
        fields.into(),
    )?;
    let response = <BrowserClient as Client<AppError>>::send(request).await?;
    let status = ClientRes::<AppError>::status(&response);
    let location = ClientRes::<AppError>::location(&response);
    let redirects = ClientRes::<AppError>::has_redirect(&response);
    let body = ClientRes::<AppError>::try_into_bytes(response).await?;
    if (400..=599).contains(&status) {
        return Err(AppError::de(body));
    }
    if (300..=399).contains(&status) || redirects {
        leptos::server_fn::redirect::call_redirect_hook(&location);
    }
    String::from_utf8(body.to_vec()).map_err(|_| AppError::Internal)
}

/// A form that posts to its action's server function: with JavaScript
/// through the action, which keeps the answer for the page to show;
/// without it, as a plain post that the server answers by sending the
/// browser back to the page.
#[component]
pub fn PostForm(
    #[prop(into)] action: UntypedAction,
    #[prop(optional)] node_ref: Option<NodeRef<Form>>,
    children: Children,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        // A handler of the page's own may have taken the submission over.
        if event.default_prevented() {
            return;
        }
        // A form the app cannot read is left to the browser, which posts it
        // as it does without JavaScript.
        if let Ok(fields) = leptos::form::form_data_from_event(&event) {
            event.prevent_default();
            // A button without a name says nothing a plain post would.
            fields.delete("");
            action.send.run(fields);
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <form action=action.url method="post" node_ref=node_ref on:submit=on_submit>
            {children()}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::api::RenameAccount, decks::api::CreateDeck};

    /// The address a post without JavaScript comes back to holds the error
    /// for the function it was posted to: only that function's action
    /// starts out with it.
    #[test]
    fn an_action_starts_with_the_error_its_own_post_left_in_the_address() {
        let owner = Owner::new();
        owner.with(|| {
            let refused = AppError::Validation(vec![crate::error::FieldError {
                field: "title".into(),
                message: "A title is needed.".into(),
            }]);
            // Written into the address as leptos_axum writes it.
            let address = ServerFnUrlError::new(CreateDeck::PATH, refused.clone())
                .to_url("http://engram.test/decks/new")
                .unwrap();
            let (_, encoded) = address.query_pairs().find(|(key, _)| key == "__err").unwrap();
            provide_context(ServerActionError::new(CreateDeck::PATH, &encoded));
            let create = FormAction::<CreateDeck>::new();
            let rename = FormAction::<RenameAccount>::new();
            assert_eq!(create.value().get_untracked(), Some(Err(refused)));
            assert_eq!(rename.value().get_untracked(), None);
            assert_eq!(create.version().get_untracked(), 0);
            assert!(!create.pending().get_untracked());
        });
    }
}
