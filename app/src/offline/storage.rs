//! The browser's storage manager: room left, and persistence.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::StorageEstimate;

fn manager() -> Result<web_sys::StorageManager, String> {
    web_sys::window()
        .map(|window| window.navigator().storage())
        .ok_or_else(|| "no browser window".to_owned())
}

/// Bytes used by this site and the most it may use.
pub async fn estimate() -> Result<(f64, f64), String> {
    let promise = manager()?.estimate().map_err(|error| format!("{error:?}"))?;
    let estimate: StorageEstimate = JsFuture::from(promise)
        .await
        .map_err(|error| format!("{error:?}"))?
        .unchecked_into();
    Ok((
        estimate.get_usage().unwrap_or(0.0),
        estimate.get_quota().unwrap_or(f64::INFINITY),
    ))
}

/// Asks the browser to keep this site's storage under storage pressure;
/// whether it agreed.
pub async fn persist() -> Result<bool, String> {
    let manager = manager()?;
    let persisted = manager.persisted().map_err(|error| format!("{error:?}"))?;
    if JsFuture::from(persisted)
        .await
        .ok()
        .and_then(|value| value.as_bool())
        == Some(true)
    {
        return Ok(true);
    }
    let asked = manager.persist().map_err(|error| format!("{error:?}"))?;
    Ok(JsFuture::from(asked)
        .await
        .map_err(|error| format!("{error:?}"))?
        .as_bool()
        .unwrap_or(false))
}
