use super::dashboard_view::DashboardView;
use crate::dashboard::api::load_dashboard;
use crate::ui::{Loaded, PageTitle};
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = crate::ui::page_data(|| (), |_| load_dashboard());
    // Ratings this browser kept while offline are sent as the app starts,
    // often after the server counted this page's cards: each time a batch
    // reaches the server, the counts are loaded again (a batch stored
    // before this page opened is already in them).
    if let Some(app_outbox) = use_context::<crate::offline::AppOutbox>() {
        Effect::new(move |opened: Option<()>| {
            let stored = app_outbox
                .get()
                .is_some_and(|outbox| outbox.confirmed.with(Option::is_some));
            if opened.is_some() && stored {
                dashboard.refetch();
            }
        });
    }
    view! {
        <PageTitle text="Dashboard · Engram" />
        <Loaded data=dashboard loading="Loading your dashboard…" let:dashboard>
            <DashboardView dashboard />
        </Loaded>
    }
}
