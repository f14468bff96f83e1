use super::study_session_view::StudySessionView;
use crate::error::AppError;
use crate::routes;
use crate::study::{api::load_study_queue, server_clock, StudyQueue};
use crate::ui::Loaded;
use leptos::prelude::*;
use uuid::Uuid;

async fn load_queue(deck_id: Option<Uuid>) -> Result<StudyQueue, AppError> {
    match deck_id {
        Some(deck_id) => load_study_queue(deck_id).await,
        None => Err(AppError::NotFound),
    }
}

/// `/study/:id`: today's cards of a deck and its subdecks. The queue loads
/// once; from then on the browser picks and schedules every card itself.
#[component]
pub fn StudyPage() -> impl IntoView {
    let deck_id = routes::id_param();
    let queue = crate::ui::page_data(move || deck_id.get(), load_queue);
    view! {
        <Loaded data=queue loading="Loading your cards…" let:queue>
            // The queue is the server's, made just now (pages are never
            // cached): its time says how far this device's clock is off.
            {server_clock::measure(queue.generated_at * 1000)}
            <StudySessionView queue />
        </Loaded>
    }
}
