use crate::routes;
use crate::study::session::SessionSummary;
use crate::ui::plural;
use leptos::prelude::*;
use uuid::Uuid;

fn duration_text(milliseconds: i64) -> String {
    let seconds = milliseconds.max(0) / 1000;
    match seconds {
        0..=59 => plural(seconds, "second", "seconds"),
        60..=3599 => plural((seconds + 30) / 60, "minute", "minutes"),
        _ => format!(
            "{} {}",
            plural(seconds / 3600, "hour", "hours"),
            plural(seconds % 3600 / 60, "minute", "minutes")
        ),
    }
}

/// The end of a session: what was done in the deck today (on this page and
/// before it, so that it reads the same without JavaScript, where every
/// answer is a page of its own), and where to go next.
#[component]
pub fn SessionDone(deck_id: Uuid, summary: SessionSummary) -> impl IntoView {
    view! {
        <section class="panel text-center" data-testid="session-done" aria-labelledby="done-heading">
            <h2 id="done-heading" class="text-xl font-semibold">
                "Done for today"
            </h2>
            <p class="mt-2 text-slate-600 dark:text-slate-400">
                "Nothing else in this deck is due today. Cards you rated come back when they are due."
            </p>
            {(summary.answers > 0)
                .then(|| {
                    view! {
                        <h3 class="mt-5 text-sm font-medium text-slate-600 dark:text-slate-400">
                            "Today in this deck"
                        </h3>
                        <dl
                            class="mx-auto mt-2 grid max-w-md grid-cols-3 gap-3"
                            data-testid="session-summary"
                        >
                            <div>
                                <dt class="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                                    "Answers"
                                </dt>
                                <dd class="text-2xl font-semibold tabular-nums">{summary.answers}</dd>
                            </div>
                            <div>
                                <dt class="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                                    "Time"
                                </dt>
                                <dd class="text-lg font-semibold">{duration_text(summary.time_ms)}</dd>
                            </div>
                            <div>
                                <dt class="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                                    "Remembered"
                                </dt>
                                <dd class="text-2xl font-semibold tabular-nums">
                                    {summary.remembered_percent().map(|percent| format!("{percent}%"))}
                                </dd>
                            </div>
                        </dl>
                    }
                })}
            <p class="mt-6 flex flex-wrap justify-center gap-3">
                <a href=routes::DASHBOARD class="button-primary">
                    "Back to the dashboard"
                </a>
                <a href=routes::deck(deck_id) class="button-secondary">
                    "Open the deck"
                </a>
                <a href=routes::deck_stats(deck_id) class="button-secondary">
                    "Statistics"
                </a>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(0), "0 seconds");
        assert_eq!(duration_text(45_000), "45 seconds");
        assert_eq!(duration_text(90_000), "2 minutes");
        assert_eq!(duration_text(3_720_000), "1 hour 2 minutes");
    }
}
