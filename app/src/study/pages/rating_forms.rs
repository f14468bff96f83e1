use crate::study::{api::AnswerCard, scheduler::Rating};
use leptos::{prelude::*, server_fn::ServerFn};
use uuid::Uuid;

fn rating_name(rating: Rating) -> &'static str {
    match rating {
        Rating::Again => "Again",
        Rating::Hard => "Hard",
        Rating::Good => "Good",
        Rating::Easy => "Easy",
    }
}

fn rating_class(rating: Rating) -> &'static str {
    match rating {
        Rating::Again => "rating-button border-red-300 text-red-800 dark:border-red-800 dark:text-red-200",
        Rating::Hard => {
            "rating-button border-amber-300 text-amber-900 dark:border-amber-700 dark:text-amber-200"
        }
        Rating::Good => {
            "rating-button border-green-300 text-green-800 dark:border-green-800 dark:text-green-200"
        }
        Rating::Easy => "rating-button border-blue-300 text-blue-800 dark:border-blue-800 dark:text-blue-200",
    }
}

/// The four rating buttons, each labelled with the wait it would give. Each
/// is a form of its own that posts the rating when JavaScript is off; the
/// hydrated page rates locally instead (`on_rate`) and never waits for the
/// server.
#[component]
pub fn RatingForms(
    deck_id: Uuid,
    card_id: Uuid,
    /// The learner the page was written for: a form posted after another
    /// account signed in is refused rather than recorded as theirs.
    learner_id: Uuid,
    /// What each rating would give, Again to Easy ("1m", "4d").
    waits: [String; 4],
    /// When the card was shown (Unix milliseconds), for the review's duration.
    shown_at_ms: i64,
    on_rate: Callback<Rating>,
) -> impl IntoView {
    // Written into the page, so that a form sent twice records one review.
    let review_id = Uuid::new_v4().to_string();
    view! {
        <div
            class="grid grid-cols-2 gap-2 sm:grid-cols-4"
            role="group"
            aria-label="How well did you remember?"
        >
            {Rating::ALL
                .into_iter()
                .zip(waits)
                .map(|(rating, wait)| {
                    let number = rating as i64;
                    view! {
                        <form
                            method="post"
                            action=AnswerCard::PATH
                            on:submit=move |event| {
                                event.prevent_default();
                                on_rate.run(rating);
                            }
                        >
                            <input type="hidden" name="deck_id" value=deck_id.to_string() />
                            <input type="hidden" name="card_id" value=card_id.to_string() />
                            <input type="hidden" name="review_id" value=review_id.clone() />
                            <input type="hidden" name="made_by" value=learner_id.to_string() />
                            <input type="hidden" name="rating" value=number.to_string() />
                            <input type="hidden" name="shown_at_ms" value=shown_at_ms.to_string() />
                            <button
                                type="submit"
                                class=rating_class(rating)
                                data-rating=number
                                aria-keyshortcuts=number.to_string()
                            >
                                <span class="block font-semibold">{rating_name(rating)}</span>
                                <span class="block text-xs tabular-nums opacity-80" data-testid="rating-wait">
                                    {wait}
                                </span>
                                <kbd class="mt-1 hidden text-xs opacity-60 sm:block">{number}</kbd>
                            </button>
                        </form>
                    }
                })
                .collect_view()}
        </div>
    }
}
