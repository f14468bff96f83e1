use crate::study::outbox::{LetGo, Outbox};
use crate::ui::plural;
use leptos::prelude::*;

/// Whether this browser's reviews have reached the server: how many wait,
/// why the last attempt failed, and a way to try again. Nothing is dropped:
/// unsent reviews stay in the browser until the server has them.
#[component]
pub fn SyncStatus(
    outbox: Outbox,
    /// States the server confirmed and were compared with this browser's,
    /// and how many of them disagreed.
    #[prop(into)]
    checked: Signal<(usize, usize)>,
) -> impl IntoView {
    let waiting = outbox.waiting();
    let holds_waiting = outbox.holds_waiting();
    let counted = move |count: usize| {
        if holds_waiting.get() {
            plural(count as i64, "change", "changes")
        } else {
            plural(count as i64, "review", "reviews")
        }
    };
    let sending = outbox.is_sending();
    let error = outbox.error;
    let storage_error = outbox.storage_error;
    let let_go = outbox.let_go;
    // Said here, so not again under the header once the learner leaves.
    on_cleanup(move || {
        let_go.try_set(LetGo::default());
    });
    view! {
        <div
            role="status"
            aria-live="polite"
            class="min-h-6 text-sm"
            data-testid="sync-status"
            data-states-checked=move || checked.get().0.to_string()
            data-states-disagreeing=move || checked.get().1.to_string()
        >
            {move || {
                let count = waiting.get();
                match (count, error.get()) {
                    (0, _) => {
                        view! { <span class="text-slate-500 dark:text-slate-400">"All reviews saved"</span> }
                            .into_any()
                    }
                    (count, Some(error)) if error.is_connection_failure() => {
                        // No connection is not a failure: the reviews wait on
                        // this device and go as soon as it is back.
                        view! {
                            <span class="text-slate-600 dark:text-slate-300" data-testid="sync-offline">
                                {format!(
                                    "{} {}, sent when the connection is back",
                                    counted(count),
                                    if storage_error.get().is_some() {
                                        "waiting"
                                    } else {
                                        "kept on this device"
                                    },
                                )}
                            </span>
                            " "
                            <button type="button" class="text-link" on:click=move |_| outbox.retry()>
                                "Try now"
                            </button>
                        }
                            .into_any()
                    }
                    (count, Some(error)) => {
                        view! {
                            <span class="text-red-700 dark:text-red-300" data-testid="sync-error">
                                {format!("{} not saved yet: {error}", counted(count))}
                            </span>
                            " "
                            <button type="button" class="text-link" on:click=move |_| outbox.retry()>
                                "Try again"
                            </button>
                        }
                            .into_any()
                    }
                    (count, None) => {
                        view! {
                            <span class="text-slate-500 dark:text-slate-400">
                                {format!(
                                    "{} {}",
                                    counted(count),
                                    if sending.get() { "saving…" } else { "waiting to be saved" },
                                )}
                            </span>
                        }
                            .into_any()
                    }
                }
            }}
            // Said once they are let go, so that a count that drops is explained.
            <LetGoLines let_go />
            // Reviews this browser could not store wait only in this page:
            // the learner must know before closing it.
            {move || {
                storage_error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="text-red-700 dark:text-red-300" data-testid="sync-storage-error">
                                {format!("{message}. Keep this page open until your reviews are saved.")}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// Why reviews were let go: the server can never store them. Said on the
/// study page's sync line, and under the header of any other page where
/// the app sent them (`offline::pages::LetGoNotice`).
#[component]
pub fn LetGoLines(let_go: RwSignal<LetGo>) -> impl IntoView {
    move || {
        let let_go = let_go.get();
        let cards_gone = (let_go.cards_gone > 0).then(|| {
            view! {
                <p class="text-slate-600 dark:text-slate-300" data-testid="sync-let-go">
                    {format!(
                        "{} could not be saved: {} deleted, or no longer shared with you.",
                        plural(let_go.cards_gone as i64, "review", "reviews"),
                        if let_go.cards_gone == 1 { "its card was" } else { "their cards were" },
                    )}
                </p>
            }
        });
        let refused = let_go
            .refused
            .into_iter()
            .map(|(reason, count)| {
                view! {
                    <p class="text-slate-600 dark:text-slate-300" data-testid="sync-refused">
                        {format!(
                            "{} could not be saved: {reason}.",
                            plural(count as i64, "review", "reviews"),
                        )}
                    </p>
                }
            })
            .collect_view();
        (cards_gone, refused)
    }
}
