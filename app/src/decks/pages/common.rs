use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

pub(crate) fn deck_id_from_route() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| Uuid::parse_str(&id).ok()))
}
