use crate::auth::{
    api::{current_user, Login, Logout, Register},
    User,
};
use crate::error::AppError;
use crate::ui::FormAction;
use leptos::prelude::*;
use leptos_router::hooks::{use_query_map, use_url};

/// The account actions and the signed-in user, shared through context.
/// The user is refetched whenever one of the actions completes.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: FormAction<Login>,
    pub register: FormAction<Register>,
    pub logout: ServerAction<Logout>,
    /// Logouts that went through on this page (one that failed, with no
    /// connection say, left the session as it was).
    pub logouts_done: Memo<usize>,
    pub user: crate::ui::PageData<Result<Option<User>, AppError>>,
}

/// Creates the account actions. Must run inside the `<Router>` so that an
/// error from a form posted without JavaScript is picked up from the URL.
pub fn provide_auth() -> AuthContext {
    // `<Routes>` makes a form error from the URL visible only to actions
    // created beneath it; these sit above it, so they need it sooner.
    use_url().read_untracked().provide_server_action_error();
    let login = FormAction::<Login>::new();
    let register = FormAction::<Register>::new();
    let logout = ServerAction::<Logout>::new();
    // A logout that failed (with no connection, say) left the session as it
    // was: the account is read again only after one that went through, so
    // that the page does not look signed out on a device that is not.
    let logouts_done = Memo::new(move |before: Option<&usize>| {
        let version = logout.version().get();
        let failed = logout.value().with(|value| matches!(value, Some(Err(_))));
        match before {
            Some(before) if failed => *before,
            _ => version,
        }
    });
    let user = crate::ui::page_data(
        move || {
            (
                login.version().get(),
                register.version().get(),
                logouts_done.get(),
            )
        },
        |_| current_user(),
    );
    let auth = AuthContext {
        login,
        register,
        logout,
        logouts_done,
        user,
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> AuthContext {
    expect_context::<AuthContext>()
}

/// The latest error of an action, as a signal for form fields.
pub(crate) fn action_error<I, O>(action: FormAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

pub(crate) fn card_class() -> &'static str {
    "mx-auto w-full max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8 \
     dark:border-slate-800 dark:bg-slate-900"
}

/// The page the visitor was sent here to log in or sign up for (`next` in the
/// address), carried by the form and the link to the other form, so that a
/// learner who logs in to enrol lands back on the course.
pub(super) fn page_to_return_to() -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get("next"))
        .filter(|next| !next.is_empty())
}
