//! Settings server functions.

use leptos::{prelude::*, server_fn::codec::GetUrl};

use super::{SettingsPageData, StudyDaysInput};
use crate::error::AppError;

#[server(endpoint = "settings", input = GetUrl)]
pub async fn load_settings() -> Result<SettingsPageData, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let (study_days, time_zones, waiting_email) = tokio::try_join!(
        super::db::study_days(&state.pool, user.id),
        super::db::time_zone_names(&state.pool),
        crate::auth::db::waiting_email_change(&state.pool, user.id),
    )?;
    Ok(SettingsPageData {
        account: user,
        waiting_email,
        study_days,
        time_zones,
    })
}

#[server(endpoint = "settings/study-days")]
pub async fn save_study_days(input: StudyDaysInput) -> Result<(), AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let zone = input.time_zone.trim();
    let zone_known =
        super::is_plausible_time_zone(zone) && super::db::is_known_time_zone(&state.pool, zone).await?;
    let days = input.parse(|_| zone_known)?;
    super::db::save_study_days(&state.pool, user.id, &days).await?;
    crate::plain_post::back_saying_saved(super::STUDY_DAYS_SAVED, crate::routes::SETTINGS);
    Ok(())
}

/// Takes the time zone the browser reports, for a learner who has none yet.
/// Answers whether it was taken; an unknown zone is not an error, since
/// there is nothing the learner could do about it here.
#[server(endpoint = "settings/adopt-time-zone")]
pub async fn adopt_browser_time_zone(zone: String) -> Result<bool, AppError> {
    use crate::{auth::session, state::app_state};

    let state = app_state()?;
    let user = session::require_user(&state).await?;
    let zone = zone.trim();
    if zone.is_empty()
        || !super::is_plausible_time_zone(zone)
        || !super::db::is_known_time_zone(&state.pool, zone).await?
    {
        return Ok(false);
    }
    super::db::adopt_time_zone(&state.pool, user.id, zone).await
}

/// Tells the server this browser's time zone once per visit, so that a new
/// learner's days begin at their own 4 a.m. without a trip to the settings.
pub fn report_browser_time_zone() {
    #[cfg(feature = "hydrate")]
    {
        use web_sys::js_sys::{Array, Intl, Object, Reflect};

        const SENT: &str = "engram.time-zone-sent";
        let storage = web_sys::window().and_then(|window| window.session_storage().ok().flatten());
        if storage
            .as_ref()
            .is_some_and(|storage| storage.get_item(SENT).ok().flatten().is_some())
        {
            return;
        }
        let options = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
        let Some(zone) = Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|zone| zone.as_string())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            if adopt_browser_time_zone(zone).await.is_ok() {
                if let Some(storage) = storage {
                    let _ = storage.set_item(SENT, "1");
                }
            }
        });
    }
}
