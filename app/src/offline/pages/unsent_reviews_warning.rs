use leptos::prelude::*;

use crate::auth::pages::{LogoutError, LogoutForm};
use crate::offline::AppOutbox;
use crate::ui::plural;

/// The reviews of the signed-in learner still waiting in this browser: 0
/// on the server, and until the app's outbox has looked.
pub fn unsent_reviews() -> Signal<usize> {
    let app_outbox = use_context::<AppOutbox>();
    Signal::derive(move || {
        app_outbox
            .and_then(|app_outbox| app_outbox.get())
            .map_or(0, |outbox| outbox.waiting().get())
    })
}

/// Whether a card buried or suspended by hand is among them.
fn unsent_holds() -> Signal<bool> {
    let app_outbox = use_context::<AppOutbox>();
    Signal::derive(move || {
        app_outbox
            .and_then(|app_outbox| app_outbox.get())
            .is_some_and(|outbox| outbox.holds_waiting().get())
    })
}

/// Sends the reviews that wait now. The code that sends them is the study
/// group's, which any browser with reviews waiting has already fetched (it
/// kept them, or it followed the learner): the app shell only asks it.
fn send_waiting_reviews(app_outbox: Option<AppOutbox>) {
    #[cfg(feature = "hydrate")]
    if let Some(app_outbox) = app_outbox {
        leptos::task::spawn_local(async move {
            crate::study_group(crate::StudyEntry::SendWaitingReviews(app_outbox)).await;
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = app_outbox;
}

/// Asked before signing out while reviews wait to be sent: they are not
/// lost (they stay on this device, bound to this learner, and go the next
/// time they sign in here), but a learner leaving a borrowed device should
/// send them first.
#[component]
pub fn UnsentReviewsWarning(open: RwSignal<bool>) -> impl IntoView {
    let unsent = unsent_reviews();
    let holds = unsent_holds();
    let app_outbox = use_context::<AppOutbox>();
    let online = use_context::<crate::offline::AppStatus>().map(|status| status.online);
    let offline = move || online.is_some_and(|online| !online.get());
    // Once everything is sent, nothing is left to warn about.
    Effect::new(move |_| {
        if unsent.get() == 0 {
            open.set(false);
        }
    });
    // The question takes the keyboard as it opens: it is answered before
    // anything else on the page.
    let send_now = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = send_now.get() {
            let _ = button.focus();
        }
    });
    view! {
        <Show when=move || open.get()>
            <div
                role="alertdialog"
                aria-labelledby="unsent-reviews-title"
                aria-describedby="unsent-reviews-description"
                data-testid="unsent-reviews-warning"
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        open.set(false);
                    }
                }
                class="fixed inset-x-4 top-20 z-50 mx-auto max-w-md rounded-xl border border-amber-300 bg-white p-4 text-sm shadow-lg dark:border-amber-700 dark:bg-slate-900"
            >
                <p id="unsent-reviews-title" class="font-semibold">
                    {move || {
                        let (one, many) = if holds.get() {
                            ("change is", "changes are")
                        } else {
                            ("review is", "reviews are")
                        };
                        format!("{} not sent yet", plural(unsent.get() as i64, one, many))
                    }}
                </p>
                <p id="unsent-reviews-description" class="mt-1 text-slate-600 dark:text-slate-300">
                    "They stay on this device and are sent the next time you sign in here. Send them now if you will not be back on this device."
                </p>
                {move || {
                    offline()
                        .then(|| {
                            view! {
                                <p
                                    class="mt-2 font-medium text-amber-800 dark:text-amber-300"
                                    data-testid="unsent-reviews-offline"
                                >
                                    "This device has no connection: they can be sent, and you can log out, once it is back."
                                </p>
                            }
                        })
                }}
                <LogoutError class="mt-2" />
                <div class="mt-3 flex flex-wrap items-center gap-2">
                    <button
                        type="button"
                        class="button-primary px-3 py-1.5"
                        node_ref=send_now
                        on:click=move |_| send_waiting_reviews(app_outbox)
                    >
                        "Send them now"
                    </button>
                    <LogoutForm
                        class="rounded-md px-3 py-1.5 font-medium text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
                        label="Log out anyway"
                    />
                    <button type="button" class="text-link px-2" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                </div>
            </div>
        </Show>
    }
}
