use leptos::prelude::*;

use crate::study::StudyQueue;

/// What the study page says about the deck's copy on this device.
#[derive(Debug, Clone, PartialEq)]
struct KeptCopy {
    size_bytes: usize,
    saved_at_ms: f64,
    /// What its pictures and sound weigh (in the media cache), carried over
    /// when a rating rewrites the copy: a rating changes no card's media.
    media_bytes: f64,
}

/// "Available offline": keeps the deck's cards, as the learner leaves them,
/// on this device for study without a connection. Once kept, the copy is
/// refreshed from the server each time the study page opens and rewritten
/// after every rating, so offline study carries on where the learner
/// stopped. The cards' pictures and sound are kept too, with a progress bar
/// while they download. Shown once the page runs in the browser.
#[component]
pub fn KeepOffline(
    /// The deck's study queue now: the cards still to study and their states.
    #[prop(into)]
    snapshot: Signal<StudyQueue>,
) -> impl IntoView {
    // `None` until this browser has looked for a copy.
    let kept = RwSignal::new(None::<Option<KeptCopy>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Pictures and sound downloaded so far, and how many there are.
    let media_progress = RwSignal::new(None::<(usize, usize)>);

    #[cfg(feature = "hydrate")]
    {
        let save = move |queue: StudyQueue| {
            let media_bytes = kept
                .get_untracked()
                .flatten()
                .map_or(0.0, |copy| copy.media_bytes);
            leptos::task::spawn_local(async move {
                match browser::save(&queue, media_bytes).await {
                    Ok(copy) => {
                        kept.set(Some(Some(copy)));
                        error.set(None);
                    }
                    Err(message) => error.set(Some(message)),
                }
            })
        };
        let (learner_id, deck_id) = snapshot.with_untracked(|queue| (queue.learner_id, queue.deck_id));
        leptos::task::spawn_local(async move {
            match crate::offline::store::load_deck(learner_id, deck_id).await {
                // Kept: this page's queue, just made by the server, replaces
                // it, and media new to it are downloaded.
                Ok(Some(_)) => match browser::keep(&snapshot.get_untracked(), media_progress).await {
                    Ok(copy) => kept.set(Some(Some(copy))),
                    Err(message) => error.set(Some(message)),
                },
                Ok(None) => kept.set(Some(None)),
                Err(message) => error.set(Some(message)),
            }
        });
        // Every rating changes the queue; a kept copy follows it.
        Effect::new(move |_| {
            let queue = snapshot.get();
            if matches!(kept.get_untracked(), Some(Some(_))) {
                save(queue);
            }
        });
    }

    let toggle = move |keep: bool| {
        #[cfg(feature = "hydrate")]
        {
            busy.set(true);
            let queue = snapshot.get_untracked();
            leptos::task::spawn_local(async move {
                let outcome = if keep {
                    browser::keep(&queue, media_progress).await.map(Some)
                } else {
                    browser::remove(&queue).await.map(|()| None)
                };
                match outcome {
                    Ok(copy) => {
                        kept.set(Some(copy));
                        error.set(None);
                    }
                    Err(message) => error.set(Some(message)),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (keep, snapshot);
    };
    view! {
        <div class="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm" data-testid="keep-offline">
            <label class="inline-flex items-center gap-2">
                <input
                    type="checkbox"
                    class="h-4 w-4 rounded border-slate-300 text-indigo-600 dark:border-slate-600"
                    data-testid="keep-offline-toggle"
                    prop:checked=move || matches!(kept.get(), Some(Some(_)))
                    disabled=move || kept.get().is_none() || busy.get()
                    on:change=move |event| toggle(event_target_checked(&event))
                />
                "Available offline"
            </label>
            {move || {
                kept.get()
                    .flatten()
                    .map(|copy| {
                        view! {
                            <span class="text-slate-500 dark:text-slate-400" data-testid="offline-copy">
                                {format!(
                                    "{} on this device, saved {}",
                                    super::size_label(copy.size_bytes),
                                    super::time_label(copy.saved_at_ms),
                                )}
                            </span>
                        }
                    })
            }}
            {move || {
                media_progress
                    .get()
                    .filter(|(done, total)| done < total)
                    .map(|(done, total)| {
                        view! {
                            <span class="inline-flex items-center gap-2 text-slate-500 dark:text-slate-400">
                                <progress
                                    class="h-2 w-24"
                                    max=total
                                    value=done
                                    aria-label="Pictures and sound saved"
                                ></progress>
                                {format!("Saving pictures and sound: {done} of {total}")}
                            </span>
                        }
                    })
            }}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <span class="text-red-700 dark:text-red-300" role="alert">
                                {message}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use super::KeptCopy;
    use crate::offline::{
        media,
        store::{self, OfflineDeck},
    };
    use crate::study::StudyQueue;

    /// Rewrites the copy after a rating.
    pub async fn save(queue: &StudyQueue, media_bytes: f64) -> Result<KeptCopy, String> {
        let mut deck = OfflineDeck::new(queue, js_sys::Date::now())?;
        deck.media_bytes = media_bytes;
        store::save_deck(&deck).await?;
        Ok(copy_of(&deck))
    }

    /// Keeps a deck, or refreshes its copy as the study page opens: checks
    /// there is room, asks the browser not to clear the storage when space
    /// runs low, and downloads the media its cards show.
    pub async fn keep(
        queue: &StudyQueue,
        media_progress: RwSignal<Option<(usize, usize)>>,
    ) -> Result<KeptCopy, String> {
        let mut deck = OfflineDeck::new(queue, js_sys::Date::now())?;
        if let Ok((usage, quota)) = crate::offline::storage::estimate().await {
            if usage + deck.size_bytes() as f64 > quota {
                return Err("There is not enough space on this device to keep the deck.".into());
            }
        }
        // Refused or unsupported, the copy is still kept: the browser may
        // then clear it under storage pressure, and the server has it all.
        let _ = crate::offline::storage::persist().await;
        // The cards first, so that a download cut short still leaves them
        // to study; the next visit fetches the missing media.
        store::save_deck(&deck).await?;
        let addresses = media::media_addresses(queue);
        deck.media_bytes =
            media::keep_media(&addresses, |done, total| media_progress.set(Some((done, total)))).await?;
        store::save_deck(&deck).await?;
        Ok(copy_of(&deck))
    }

    /// Removes the copy, and the media no other kept deck shows.
    pub async fn remove(queue: &StudyQueue) -> Result<(), String> {
        store::remove_deck(queue.learner_id, queue.deck_id).await?;
        media::forget_unused_media().await
    }

    fn copy_of(deck: &OfflineDeck) -> KeptCopy {
        KeptCopy {
            size_bytes: deck.size_bytes(),
            saved_at_ms: deck.saved_at_ms,
            media_bytes: deck.media_bytes,
        }
    }
}
