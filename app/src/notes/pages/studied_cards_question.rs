use crate::error::AppError;
use crate::ui::field_message;
use leptos::prelude::*;

/// Asked under a note's or a note type's form once saving it would delete
/// cards learners have studied (the error under `notes::DELETE_STUDIED_CARDS`):
/// why, and a box that sends the same form again agreeing to it.
#[component]
pub(crate) fn StudiedCardsQuestion(
    error: Signal<Option<AppError>>,
    /// The id of the sentence, unique in the page.
    message_id: String,
) -> impl IntoView {
    let message = field_message(error, crate::notes::DELETE_STUDIED_CARDS);
    move || {
        message().map(|message| {
            view! {
                <div class="alert-error text-sm" data-testid="studied-cards-warning">
                    <p id=message_id.clone()>{message}</p>
                    <label class="mt-2 flex items-center gap-2 font-semibold">
                        <input
                            type="checkbox"
                            name="input[delete_studied_cards]"
                            value="true"
                            aria-describedby=message_id.clone()
                        />
                        "Delete anyway, with the learners' schedules"
                    </label>
                </div>
            }
        })
    }
}
