use super::dashboard_view::DashboardView;
use crate::dashboard::api::load_dashboard;
use crate::routes;
use crate::ui::PageTitle;
use crate::{error::AppError, ui::ErrorNotice};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let dashboard = Resource::new(|| (), |_| load_dashboard());
    view! {
        <PageTitle text="Dashboard · Engram" />
        <Suspense fallback=|| {
            view! { <p class="text-slate-500 dark:text-slate-400">"Loading your dashboard…"</p> }
        }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <Redirect path=routes::LOGIN /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
