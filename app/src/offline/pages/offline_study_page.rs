use leptos::prelude::*;

use crate::offline::store;
use crate::routes;
use crate::study::{pages::StudySessionView, server_clock, StudyQueue};

/// Why the offline app cannot study a deck.
const NOT_SIGNED_IN: &str =
    "Nobody is signed in on this device. Sign in when you are online to study offline.";
const NOT_KEPT: &str = "This deck is not kept on this device. When you are online, tick \u{201c}Available offline\u{201d} on its study page.";

/// The deck's copy on this device, for the learner signed in here, as of
/// now by the server's clock as this device last measured it.
async fn load_kept_queue(deck_id: Option<uuid::Uuid>) -> Result<StudyQueue, String> {
    let learner_id = store::signed_in().await?.ok_or(NOT_SIGNED_IN)?;
    let deck = deck_id
        .map(|deck_id| store::load_deck(learner_id, deck_id))
        .ok_or(NOT_KEPT)?
        .await?
        .ok_or(NOT_KEPT)?;
    let mut queue = deck.queue()?;
    // Rendered here alone, so the session starts now rather than at the
    // server's clock when the copy was made.
    let now = server_clock::now_ms().div_euclid(1000);
    if queue.clock.day_number(queue.generated_at) != queue.clock.day_number(now) {
        queue.studied_today = Default::default();
    }
    queue.generated_at = now;
    Ok(queue)
}

/// `/study/:id` without a connection: the same study session as online,
/// from the deck kept on this device. Ratings go to the same outbox and are
/// sent once the connection is back.
#[component]
pub fn OfflineStudyPage() -> impl IntoView {
    let deck_id = routes::id_param();
    let queue = LocalResource::new(move || load_kept_queue(deck_id.get()));
    view! {
        <Suspense fallback=|| {
            view! { <p>"Opening the deck kept on this device…"</p> }
        }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! { <StudySessionView queue /> }.into_any(),
                    Err(message) => {
                        view! {
                            <section class="panel" data-testid="offline-unavailable">
                                <p>{message}</p>
                                <p class="mt-3">
                                    <a href="/" class="text-link">
                                        "Decks on this device"
                                    </a>
                                </p>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
