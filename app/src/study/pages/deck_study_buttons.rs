use crate::routes;
use crate::study::{
    api::{StartStudying, StopStudying},
    DeckStudy,
};
use crate::ui::ErrorOutsideFields;
use crate::ui::{FormAction, PostForm};
use leptos::prelude::*;
use uuid::Uuid;

/// The deck page's way into studying: "Study" for a deck the viewer
/// studies, "Study this deck" for one they may start studying, and "Stop
/// studying" for one they chose (their reviews stay).
#[component]
pub fn DeckStudyButtons(
    deck_id: Uuid,
    study: DeckStudy,
    start: FormAction<StartStudying>,
    stop: FormAction<StopStudying>,
) -> impl IntoView {
    let study_link = move || {
        view! {
            <a href=routes::study(deck_id) class="button-primary" data-testid="study-deck">
                "Study"
            </a>
        }
    };
    // A start or stop that did not go through (no connection, the session
    // gone) says so under the buttons.
    let start_error = Signal::derive(move || start.value().get().and_then(Result::err));
    let stop_error = Signal::derive(move || stop.value().get().and_then(Result::err));
    match study {
        DeckStudy::Studied => study_link().into_any(),
        DeckStudy::Chosen => view! {
            {study_link()}
            <PostForm action=stop>
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                <button type="submit" class="button-secondary" disabled=move || stop.pending().get()>
                    "Stop studying"
                </button>
            </PostForm>
            <ErrorOutsideFields error=stop_error />
        }
        .into_any(),
        DeckStudy::NotStudied => view! {
            <PostForm action=start>
                <input type="hidden" name="deck_id" value=deck_id.to_string() />
                <button
                    type="submit"
                    class="button-primary"
                    data-testid="start-studying"
                    disabled=move || start.pending().get()
                >
                    "Study this deck"
                </button>
            </PostForm>
            <ErrorOutsideFields error=start_error />
        }
        .into_any(),
    }
}
