use crate::routes;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::set_page_status;
use crate::{
    auth::{
        pages::{use_auth, LogoutError, LogoutForm},
        Role,
    },
    error::AppError,
    offline::pages::{unsent_reviews, InstallButton},
};

/// The phone menu's element id.
const NAV_MENU_ID: &str = "nav-menu";

/// Closes the phone menu, if it is open.
fn close_nav_menu() {
    #[cfg(feature = "hydrate")]
    if let Some(menu) = document().get_element_by_id(NAV_MENU_ID) {
        let _ = menu.remove_attribute("open");
    }
}

/// Escape closes the phone menu, as it closes a menu anywhere else, and
/// gives the focus back to the button that opened it (the link that had it
/// is hidden with the menu).
fn close_nav_menu_on_escape(event: leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    if event.key() == "Escape" {
        close_nav_menu();
        let summary = document().query_selector(&format!("#{NAV_MENU_ID} > summary"));
        if let Ok(Some(summary)) = summary {
            use wasm_bindgen::JsCast;
            let _ = summary.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = event;
}

/// Whether a click was on a link (or inside one).
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn followed_a_link(event: &leptos::ev::MouseEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| element.closest("a").ok().flatten().is_some())
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Whether the page at `path` is `page` or one below it: the pages a link of
/// the top bar marks as the one being shown.
fn is_page_or_below(path: &str, page: &str) -> bool {
    path.strip_prefix(page)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// A link of the top bar, marked as the current page (`aria-current`) while
/// the address is its page or one below it. The app's links are plain `<a>`
/// elements, which the router follows within the app as it does `<A>`'s:
/// every `<A>` resolves its address and keeps memos of its own, and they
/// made the app shell 6 KB larger as served; the top bar's links share the
/// location's one memo of the address instead.
#[component]
fn NavLink(
    href: &'static str,
    class: &'static str,
    current: Memo<String>,
    children: Children,
) -> impl IntoView {
    let aria_current = move || {
        current
            .with(|path| is_page_or_below(path, href))
            .then_some("page")
    };
    view! {
        <a href=href class=class aria-current=aria_current>
            {children()}
        </a>
    }
}

/// The top bar: brand, the pages this person may open, and their account.
#[component]
pub fn AppNav() -> impl IntoView {
    let auth = use_auth();
    let unsent = unsent_reviews();
    let warn_unsent = RwSignal::new(false);
    let location = use_location();
    let pathname = location.pathname;
    let is_current = move |page: &str| pathname.with(|path| is_page_or_below(path, page));
    // Whether the app's outbox let reviews go, on a page that is no study page.
    let app_outbox = use_context::<crate::offline::AppOutbox>();
    let let_go_shown = Memo::new(move |_| {
        app_outbox
            .and_then(|app_outbox| app_outbox.get())
            .is_some_and(|outbox| outbox.let_go.with(|let_go| let_go.any()))
            && !pathname.with(|path| path.starts_with(routes::STUDY_PREFIX))
    });
    // A visitor who logs in or signs up from a deck, a course or a search
    // comes back to it; from the home page they go to their dashboard.
    let page_to_return_to = move || {
        let search = location.search.get();
        let here = match search.is_empty() {
            true => pathname.get(),
            false => format!("{}?{search}", pathname.get()),
        };
        (here != routes::HOME && routes::after_sign_in(Some(&here)) == here).then_some(here)
    };
    let login_href = move || {
        page_to_return_to().map_or_else(|| routes::LOGIN.to_owned(), |here| routes::login_then(&here))
    };
    let register_href = move || {
        page_to_return_to().map_or_else(
            || routes::REGISTER.to_owned(),
            |here| routes::register_then(&here),
        )
    };
    // Whatever the menu's state in the page, a navigation closes it: the
    // next page is not shown under an open menu. (The element is found by
    // its id: it is opened by the browser, not by the app.)
    Effect::new(move |_| {
        pathname.track();
        close_nav_menu();
    });
    // A logout that failed says why under the header: the phone menu closes
    // so that it is read, not covered.
    Effect::new(move |_| {
        if auth.logout.value().with(|value| matches!(value, Some(Err(_)))) {
            close_nav_menu();
        }
    });
    let link = "rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 \
                aria-[current=page]:bg-slate-100 aria-[current=page]:text-indigo-700 \
                dark:text-slate-200 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 \
                dark:aria-[current=page]:text-indigo-300";
    view! {
        <header class="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
            <nav
                aria-label="Main"
                class="mx-auto flex max-w-5xl items-center justify-between gap-2 px-3 py-3 sm:px-4"
            >
                <div class="flex items-center gap-2">
                    <a href=routes::HOME class="flex items-center gap-2 text-lg font-bold tracking-tight">
                        <span aria-hidden="true" class="inline-block h-6 w-6 rounded-md bg-indigo-600"></span>
                        "Engram"
                    </a>
                    <InstallButton class="rounded-md border border-indigo-300 px-2 py-1 text-xs font-semibold text-indigo-700 hover:bg-indigo-50 dark:border-indigo-700 dark:text-indigo-300 dark:hover:bg-indigo-950" />
                </div>
                <Transition strict=true fallback=|| ()>
                    {move || Suspend::new(async move {
                        match auth.user.await {
                            Ok(Some(user)) => {
                                let is_admin = user.role == Role::Admin;
                                let name = user.display_name.clone();
                                let links = move || {
                                    view! {
                                        <NavLink href=routes::DASHBOARD class=link current=pathname>
                                            "Dashboard"
                                        </NavLink>
                                        <NavLink href=routes::BROWSE class=link current=pathname>
                                            "Cards"
                                        </NavLink>
                                        <NavLink href=routes::STATS class=link current=pathname>
                                            "Statistics"
                                        </NavLink>
                                        <NavLink href=routes::CATALOGUE class=link current=pathname>
                                            "Catalogue"
                                        </NavLink>
                                        {is_admin
                                            .then(|| {
                                                view! {
                                                    <NavLink href=routes::ADMIN class=link current=pathname>
                                                        "Admin"
                                                    </NavLink>
                                                }
                                            })}
                                    }
                                };
                                let log_out = move |class: &'static str| {
                                    // In the row, as wide as its words whatever the form; in
                                    // the phone menu, a full-width item.
                                    view! {
                                        // With reviews still waiting in this browser, signing
                                        // out asks first.
                                        <Show
                                            when=move || unsent.get() == 0
                                            fallback=move || {
                                                view! {
                                                    <button
                                                        type="button"
                                                        class=class
                                                        // The phone menu closes, so that the
                                                        // question is not read over it.
                                                        on:click=move |_| {
                                                            close_nav_menu();
                                                            warn_unsent.set(true);
                                                        }
                                                    >
                                                        "Log out"
                                                    </button>
                                                }
                                            }
                                        >
                                            <LogoutForm class label="Log out" />
                                        </Show>
                                    }
                                };
                                view! {
                                    // Wide screens: one row of links, the name (which leads to the
                                    // person's settings) and "Log out".
                                    <div class="hidden items-center gap-1 md:flex">
                                        {links()}
                                        <a
                                            href=routes::SETTINGS
                                            class="max-w-48 truncate rounded-md px-2 py-2 text-sm text-slate-600 hover:bg-slate-100 hover:underline dark:text-slate-400 dark:hover:bg-slate-800"
                                            data-testid="nav-user"
                                            title="Settings"
                                        >
                                            {name.clone()}
                                        </a>
                                        {log_out(
                                            "whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
                                        )}
                                    </div>
                                    // Phones: the name opens a menu. A <details> needs no
                                    // JavaScript; once hydrated it closes on navigation.
                                    <details
                                        class="group relative md:hidden"
                                        id=NAV_MENU_ID
                                        data-testid="nav-menu"
                                        // A link in the menu closes it as it is followed.
                                        on:click=move |event| {
                                            if followed_a_link(&event) {
                                                close_nav_menu();
                                            }
                                        }
                                        on:keydown=close_nav_menu_on_escape
                                    >
                                        <summary class="flex cursor-pointer list-none items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800 [&::-webkit-details-marker]:hidden">
                                            <span
                                                class="user-text max-w-28 truncate min-[380px]:max-w-40"
                                                data-testid="nav-menu-user"
                                            >
                                                {user.display_name}
                                            </span>
                                            <span aria-hidden="true" class="text-base leading-none">
                                                "☰"
                                            </span>
                                            <span class="sr-only">"Menu"</span>
                                        </summary>
                                        <div class="absolute right-0 z-20 mt-2 flex w-56 flex-col gap-1 rounded-xl border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
                                            {links()}
                                            <NavLink href=routes::SETTINGS class=link current=pathname>
                                                "Settings"
                                            </NavLink>
                                            {log_out(
                                                "w-full rounded-md px-3 py-2 text-left text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
                                            )}
                                        </div>
                                    </details>
                                }
                                    .into_any()
                            }
                            _ => {
                                let visitor_link = "whitespace-nowrap rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 sm:px-3 \
                                                    aria-[current=page]:bg-slate-100 aria-[current=page]:text-indigo-700 \
                                                    dark:text-slate-200 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 \
                                                    dark:aria-[current=page]:text-indigo-300";
                                // Narrower on a phone, and never broken over two
                                // lines: the three fit beside the brand at 360 px
                                // (the width of many Android phones).
                                view! {
                                    <div class="flex items-center gap-1">
                                        <NavLink href=routes::CATALOGUE class=visitor_link current=pathname>
                                            "Catalogue"
                                        </NavLink>
                                        <a
                                            href=login_href
                                            class=visitor_link
                                            aria-current=move || is_current(routes::LOGIN).then_some("page")
                                        >
                                            "Log in"
                                        </a>
                                        <a
                                            href=register_href
                                            class="whitespace-nowrap rounded-md bg-indigo-600 px-2 py-2 text-sm font-semibold text-white hover:bg-indigo-500 sm:px-3"
                                        >
                                            "Sign up"
                                        </a>
                                    </div>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </nav>
            // Said only where the study group's code kept reviews (the
            // question asked before signing out while they wait, and those
            // let go): it comes with that code, not the shell.
            <Show when=move || warn_unsent.get() || let_go_shown.get()>
                <Transition strict=true fallback=|| ()>
                    {move || Suspend::new(async move {
                        crate::study_group(crate::StudyEntry::HeaderNotices(warn_unsent, let_go_shown)).await
                    })}
                </Transition>
            </Show>
            // The question above says it itself while it is open.
            <Show when=move || !warn_unsent.get()>
                <LogoutError class="mx-auto max-w-5xl px-3 pb-3 sm:px-4" />
            </Show>
        </header>
    }
}

/// A page title with an optional line under it.
#[component]
pub fn PageHeader(title: String, #[prop(optional)] subtitle: Option<String>) -> impl IntoView {
    view! {
        <div class="mb-6">
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
            {subtitle.map(|text| view! { <p class="mt-1 text-slate-600 dark:text-slate-400">{text}</p> })}
        </div>
    }
}

/// An error shown in place of a page's content.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    set_page_status(error.status_code());
    // A page has no fields to highlight: a validation error that takes the
    // page's place (a damaged page link, say) says what is wrong instead.
    let heading = error.sentence();
    view! {
        <div
            role="alert"
            class="rounded-xl border border-red-200 bg-red-50 p-6 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
            // The notice takes the page's place, so it is the page's heading.
            <h1 class="text-lg font-semibold">{heading}</h1>
            <p class="mt-2 text-sm">
                <a href=routes::HOME class="underline">
                    "Back to the start page"
                </a>
            </p>
        </div>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <super::PageTitle text="Not found · Engram" />
        <ErrorNotice error=AppError::NotFound />
    }
}

#[cfg(test)]
mod tests {
    use super::is_page_or_below;

    #[test]
    fn a_top_bar_link_is_current_on_its_page_and_below_it_only() {
        assert!(is_page_or_below("/catalogue", "/catalogue"));
        assert!(is_page_or_below("/admin/accounts", "/admin"));
        assert!(!is_page_or_below("/catalogue-search.js", "/catalogue"));
        assert!(!is_page_or_below("/stats", "/settings"));
        assert!(!is_page_or_below("/", "/dashboard"));
    }
}
