use super::dashboard_view::DashboardView;
use crate::dashboard::api::load_dashboard;
use crate::ui::{Loaded, PageTitle};
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = crate::ui::page_data(|| (), |_| load_dashboard());
    view! {
        <PageTitle text="Dashboard · Engram" />
        <Loaded data=dashboard loading="Loading your dashboard…" let:dashboard>
            <DashboardView dashboard />
        </Loaded>
    }
}
