use crate::ui::{FormAction, PostForm};
use std::time::Duration;

use crate::study::optimise::{
    api::{load_optimisation, OptimiseNow},
    Fit, Optimisation, OptimisationPage, OptimisationStatus, MANUAL_COOLDOWN_MINUTES, MIN_REVIEWS,
};
use crate::ui::{latest_save_error, plural, FormError};
use crate::{
    error::{human_wait, AppError},
    routes,
};
use leptos::prelude::*;

/// How often the hydrated page asks again while an optimisation runs.
const POLL_EVERY: Duration = Duration::from_millis(1500);

/// "Optimise my scheduling": how many reviews the learner has and whether
/// that is enough, the "Optimise now" button (waiting out its cooldown
/// after the latest optimisation), the progress of a queued or running
/// optimisation (asked again every 1.5 s once hydrated; on each load
/// without JavaScript), and the latest outcome.
#[component]
pub fn OptimiseSection() -> impl IntoView {
    let optimise = FormAction::<OptimiseNow>::new();
    let poll = RwSignal::new(0u32);
    let data = crate::ui::page_data(
        move || (optimise.version().get(), poll.get()),
        |_| load_optimisation(),
    );
    // Effects run only in the browser: while an optimisation is queued or
    // running, look again in a moment; while "Optimise now" waits out its
    // cooldown, look again once it ends, so the button comes back by itself
    // (one look pending at a time).
    let next_look = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let delay = data.get().and_then(Result::ok).and_then(|page| {
            if page.in_progress() {
                Some(POLL_EVERY)
            } else {
                page.manual_wait_secs.map(Duration::from_secs)
            }
        });
        if let Some(handle) = next_look.get_value() {
            handle.clear();
        }
        let handle = delay.and_then(|delay| {
            set_timeout_with_handle(move || _ = poll.try_update(|count| *count += 1), delay).ok()
        });
        next_look.set_value(handle);
    });
    let error = latest_save_error(
        Signal::derive(move || optimise.value().get().and_then(Result::err)),
        Signal::derive(move || optimise.version().get()),
        None,
    );
    view! {
        <section class="panel mt-6 max-w-2xl" aria-labelledby="optimise-heading">
            <h2 id="optimise-heading" class="text-lg font-semibold">
                "Optimise my scheduling"
            </h2>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-400">
                "FSRS can learn how quickly you forget from your own reviews. New parameters are fitted on most of your reviews and tried on your most recent fifth; they replace the current ones only if they predict those better."
            </p>
            <Transition
                strict=true
                fallback=|| {
                    view! { <p class="mt-4 text-sm text-slate-500 dark:text-slate-400">"Loading…"</p> }
                }
            >
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <OptimisationState page optimise error /> }.into_any(),
                        Err(error) => view! { <LoadError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LoadError(error: AppError) -> impl IntoView {
    view! {
        <p role="alert" class="mt-4 text-sm text-red-700 dark:text-red-300">
            {error.to_string()}
        </p>
    }
}

/// The section's content for one answer from the server.
#[component]
fn OptimisationState(
    page: OptimisationPage,
    optimise: FormAction<OptimiseNow>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let reviews = plural(page.reviews, "review", "reviews");
    let enough = if page.enough_reviews() {
        format!(
            "You have {reviews}: enough to fit your own parameters. They are fitted again by themselves about once a month."
        )
    } else {
        format!(
            "You have {reviews}. Optimising needs at least {MIN_REVIEWS}; it runs by itself once you have them."
        )
    };
    let in_use = if page.personal_parameters {
        "Your scheduling uses parameters fitted to your reviews."
    } else {
        "Your scheduling uses FSRS's default parameters."
    };
    let running = page.in_progress();
    // The server refuses a request within the cooldown too; the button
    // says so beforehand.
    let cooldown = page
        .manual_wait_secs
        .filter(|_| page.enough_reviews() && !running)
        .map(|wait| {
            format!(
                "You can optimise again in {}: at most once every {MANUAL_COOLDOWN_MINUTES} minutes.",
                human_wait(wait),
            )
        });
    let can_start = page.enough_reviews() && !running && cooldown.is_none();
    let button_label = if running { "Optimising…" } else { "Optimise now" };
    view! {
        <div class="mt-4 space-y-3 text-sm" data-testid="optimisation">
            <p data-testid="optimisation-reviews">{enough}</p>
            <p>{in_use}</p>
            {page.latest.map(|latest| view! { <LatestOptimisation latest /> }.into_any())}
            <FormError error />
            <PostForm action=optimise attr:class="flex flex-wrap items-center gap-3">
                <button
                    type="submit"
                    disabled=move || !can_start || optimise.pending().get()
                    aria-describedby=cooldown.is_some().then_some("optimise-cooldown")
                    class="inline-flex items-center justify-center rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-60 dark:focus-visible:ring-offset-slate-900"
                >
                    {button_label}
                </button>
                {cooldown
                    .map(|cooldown| {
                        view! {
                            <p
                                id="optimise-cooldown"
                                data-testid="optimisation-cooldown"
                                class="text-slate-600 dark:text-slate-400"
                            >
                                {cooldown}
                            </p>
                        }
                    })}
            </PostForm>
        </div>
    }
}

/// Progress while queued or running; otherwise what came of it.
#[component]
fn LatestOptimisation(latest: Optimisation) -> impl IntoView {
    match latest.status {
        OptimisationStatus::Queued | OptimisationStatus::Running => {
            let percent = latest.percent();
            let what = if latest.status == OptimisationStatus::Queued {
                "Waiting for its turn…".to_owned()
            } else {
                format!("Optimising… {percent}%")
            };
            view! {
                <div data-testid="optimisation-progress">
                    // A native bar: the page's CSP (`style-src 'self'`)
                    // refuses inline widths.
                    <progress value=percent max="100" aria-label="Optimisation progress" class="progress-bar">
                        {format!("{percent}%")}
                    </progress>
                    <p class="mt-1" role="status">
                        {what}
                        " "
                        // Without JavaScript the page does not ask again by
                        // itself: reloading it shows the progress.
                        <a href=routes::SETTINGS class="underline">
                            "Refresh"
                        </a>
                    </p>
                </div>
            }
            .into_any()
        }
        OptimisationStatus::Done => view! { <OutcomeTable latest /> }.into_any(),
        OptimisationStatus::Failed => view! {
            <p role="alert" data-testid="optimisation-error" class="alert-error">
                {latest.error.unwrap_or_else(|| "The last optimisation did not finish.".to_owned())}
            </p>
        }
        .into_any(),
    }
}

/// Log loss and RMSE before and after, and whether the new parameters won.
#[component]
fn OutcomeTable(latest: Optimisation) -> impl IntoView {
    let figure = |fit: Option<Fit>, pick: fn(Fit) -> f32| {
        fit.map_or_else(|| "–".to_owned(), |fit| format!("{:.4}", pick(fit)))
    };
    let held_out = plural(latest.held_out_count.unwrap_or(0), "review", "reviews");
    let verdict = if latest.adopted == Some(true) {
        format!("Adopted: the new parameters predicted your {held_out} held out better, and your scheduling now uses them.")
    } else {
        format!("Not adopted: the new parameters did not predict your {held_out} held out better than the current ones, so your scheduling is unchanged.")
    };
    view! {
        <div data-testid="optimisation-outcome">
            <table class="w-full max-w-md text-left">
                <caption class="mb-1 text-left font-medium">
                    {format!(
                        "Last optimisation, from {}",
                        plural(latest.review_count.unwrap_or(0), "review", "reviews"),
                    )}
                </caption>
                <thead>
                    <tr class="text-slate-500 dark:text-slate-400">
                        <th scope="col" class="py-1 font-normal">
                            "On held-out reviews"
                        </th>
                        <th scope="col" class="py-1 font-normal">
                            "Before"
                        </th>
                        <th scope="col" class="py-1 font-normal">
                            "After"
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <th scope="row" class="py-1 font-normal">
                            "Log loss (lower is better)"
                        </th>
                        <td class="py-1 tabular-nums">{figure(latest.before, |fit| fit.log_loss)}</td>
                        <td class="py-1 tabular-nums">{figure(latest.after, |fit| fit.log_loss)}</td>
                    </tr>
                    <tr>
                        <th scope="row" class="py-1 font-normal">
                            "RMSE (lower is better)"
                        </th>
                        <td class="py-1 tabular-nums">{figure(latest.before, |fit| fit.rmse)}</td>
                        <td class="py-1 tabular-nums">{figure(latest.after, |fit| fit.rmse)}</td>
                    </tr>
                </tbody>
            </table>
            <p class="mt-2" data-testid="optimisation-verdict">
                {verdict}
            </p>
        </div>
    }
}
