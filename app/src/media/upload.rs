//! Sends a file from the browser to `POST /api/media`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::UploadedMedia;

/// Uploads `file` and returns where it is stored, or the server's sentence
/// explaining why it was refused.
pub async fn upload_file(file: web_sys::File) -> Result<UploadedMedia, String> {
    let network = |_| "The upload failed. Check your connection and try again.".to_owned();
    let window = web_sys::window().ok_or_else(|| "No browser window.".to_owned())?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&file);
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Accept", "application/json").map_err(network)?;
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init("/api/media", &init).map_err(network)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)?;
    let text = JsFuture::from(response.text().map_err(network)?)
        .await
        .map_err(network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        serde_json::from_slice(text.as_bytes())
            .map_err(|_| "The server's answer was not understood.".to_owned())
    } else {
        let message = serde_json::from_slice::<serde_json::Value>(text.as_bytes())
            .ok()
            .and_then(|body| body["error"].as_str().map(str::to_owned));
        Err(message.unwrap_or_else(|| format!("The upload was refused ({}).", response.status())))
    }
}
