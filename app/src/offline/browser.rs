//! The browser side of the installed app: service-worker registration,
//! updates, the install prompt and the connection.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    RegistrationOptions, ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState,
    ServiceWorkerUpdateViaCache,
};

use super::{AppStatus, SERVICE_WORKER_URL};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `indexedDB.databases()`, which web-sys does not bind.
    #[wasm_bindgen(catch, js_namespace = indexedDB, js_name = databases)]
    fn indexed_databases() -> Result<js_sys::Promise, JsValue>;
}

/// Whether this browser holds Engram's IndexedDB database, that is, has
/// ever kept a review or a deck (`store`). Only the app's own code creates
/// it: the service worker opens it without creating it. A browser that
/// cannot list its databases is taken to hold it, so nothing waiting there
/// is ever left unsent.
pub async fn holds_device_store() -> bool {
    let Ok(listing) = indexed_databases() else {
        return true;
    };
    let Ok(databases) = JsFuture::from(listing).await else {
        return true;
    };
    js_sys::Array::from(&databases).iter().any(|database| {
        js_sys::Reflect::get(&database, &JsValue::from_str("name"))
            .ok()
            .and_then(|name| name.as_string())
            .is_some_and(|name| name == super::store::DATABASE)
    })
}

thread_local! {
    /// The `beforeinstallprompt` event, kept until the learner asks to install.
    static INSTALL_PROMPT: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// The registration, once it exists, to reach a waiting version.
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

pub fn start(status: AppStatus) {
    let Some(window) = web_sys::window() else { return };
    // Only a browser that knows it is offline is believed: one that says
    // it is online may still not reach the server (the offline app starts
    // offline for that reason, and checks).
    if !window.navigator().on_line() {
        status.online.set(false);
    }
    // These listeners last as long as the page: their handles are let go.
    let _ = window_event_listener(leptos::ev::online, move |_| status.online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));

    // Chromium offers installation with this event; keeping it (and
    // preventing the browser's own mini-bar) lets the button ask later.
    let _ = window_event_listener_untyped("beforeinstallprompt", move |event| {
        event.prevent_default();
        INSTALL_PROMPT.with(|prompt| *prompt.borrow_mut() = Some(event.into()));
        status.can_install.set(true);
    });
    let _ = window_event_listener_untyped("appinstalled", move |_| {
        INSTALL_PROMPT.with(|prompt| prompt.borrow_mut().take());
        status.can_install.set(false);
    });

    leptos::task::spawn_local(register(status));

    // While the app believes it has no connection, it asks the server every
    // few seconds: browsers do not always say when a connection returns
    // (a page opened offline may never hear `online`), and a network can be
    // up while the server is out of reach.
    Effect::new(move |_| {
        if !status.online.get() {
            check_connection_later(status);
        }
    });
}

/// How long the app waits between two checks of a lost connection.
const CONNECTION_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3);

thread_local! {
    static CHECKING_CONNECTION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn check_connection_later(status: AppStatus) {
    if CHECKING_CONNECTION.with(|checking| checking.replace(true)) {
        return;
    }
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                CHECKING_CONNECTION.with(|checking| checking.set(false));
                if status.online.get_untracked() {
                    return;
                }
                if server_answers().await {
                    status.online.set(true);
                } else {
                    check_connection_later(status);
                }
            })
        },
        CONNECTION_CHECK_INTERVAL,
    );
}

/// Whether the server's readiness check answers: no session, no database
/// work beyond a ping, and never from a cache.
async fn server_answers() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let address = format!("/readyz?at={}", js_sys::Date::now());
    match JsFuture::from(window.fetch_with_str(&address)).await {
        Ok(response) => response.unchecked_into::<web_sys::Response>().ok(),
        Err(_) => false,
    }
}

async fn register(status: AppStatus) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    // Browsers without service workers (or on plain http away from
    // localhost) still run the app online.
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    let options = RegistrationOptions::new();
    // The worker's own file is always fetched from the server, never from
    // the HTTP cache, so a deployment is noticed on the next visit.
    options.set_update_via_cache(ServiceWorkerUpdateViaCache::None);
    // Checked, not assumed: a browser that blocks workers by policy (as
    // some test and kiosk setups do) resolves `register` with nothing.
    let registration = match JsFuture::from(container.register_with_options(SERVICE_WORKER_URL, &options))
        .await
        .map(|registration| registration.dyn_into::<ServiceWorkerRegistration>())
    {
        Ok(Ok(registration)) => registration,
        Ok(Err(_)) => {
            leptos::logging::warn!("the offline app is unavailable: service workers are blocked");
            return;
        }
        Err(error) => {
            leptos::logging::warn!("the offline app is unavailable: {error:?}");
            return;
        }
    };
    REGISTRATION.with(|stored| *stored.borrow_mut() = Some(registration.clone()));

    let on_update_found = {
        let registration = registration.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(installing) = registration.installing() {
                watch_until_installed(installing, status);
            }
        })
    };
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
    // Then what happened before anyone listened: the browser checks for a
    // new version on every navigation, so a deployment made while this page
    // loaded may already be installing, or installed and waiting.
    if let Some(installing) = registration.installing() {
        watch_until_installed(installing, status);
    }
    if registration.waiting().is_some() && container.controller().is_some() {
        status.update_waiting.set(true);
    }
}

/// A new version counts as an update once installed, if an older one runs
/// this page; the very first install is not an update.
fn watch_until_installed(worker: ServiceWorker, status: AppStatus) {
    let watched = worker.clone();
    let on_state_change = Closure::<dyn FnMut()>::new(move || {
        let controlled = web_sys::window()
            .map(|window| window.navigator().service_worker().controller().is_some())
            .unwrap_or(false);
        if watched.state() == ServiceWorkerState::Installed && controlled {
            status.update_waiting.set(true);
        }
    });
    worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
    on_state_change.forget();
}

pub fn prompt_install() {
    let Some(event) = INSTALL_PROMPT.with(|prompt| prompt.borrow_mut().take()) else {
        return;
    };
    let prompt = js_sys::Reflect::get(&event, &JsValue::from_str("prompt"))
        .ok()
        .and_then(|prompt| prompt.dyn_into::<js_sys::Function>().ok());
    if let Some(prompt) = prompt {
        // The browser shows its own dialog; the answer needs nothing from us.
        let _ = prompt.call0(&event);
    }
}

pub fn activate_waiting_version() {
    let Some(window) = web_sys::window() else { return };
    let waiting = REGISTRATION.with(|stored| {
        stored
            .borrow()
            .as_ref()
            .and_then(|registration| registration.waiting())
    });
    let Some(waiting) = waiting else {
        // Nothing waits any more (another tab took it over): a reload shows it.
        let _ = window.location().reload();
        return;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::<dyn FnMut()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &message,
        &JsValue::from_str("type"),
        &JsValue::from_str("SKIP_WAITING"),
    );
    if let Err(error) = waiting.post_message(&message) {
        leptos::logging::warn!("could not start the new version: {error:?}");
    }
}

/// The Background Sync tag under which the service worker sends the outbox
/// (`public/sw-outbox.js` listens for it).
const OUTBOX_SYNC_TAG: &str = "engram-outbox";

/// Asks the browser to wake the service worker to send the outbox once a
/// connection is back, even if every Engram page is closed by then. Only an
/// accelerator: Safari and Firefox have no Background Sync, and there the
/// pages' own retries do the work.
pub fn request_outbox_sync() {
    leptos::task::spawn_local(async {
        let Some(registration) = ready_registration().await else {
            return;
        };
        let Ok(sync) = js_sys::Reflect::get(&registration, &JsValue::from_str("sync")) else {
            return;
        };
        let register = js_sys::Reflect::get(&sync, &JsValue::from_str("register"))
            .ok()
            .and_then(|register| register.dyn_into::<js_sys::Function>().ok());
        let Some(register) = register else { return };
        if let Ok(promise) = register.call1(&sync, &JsValue::from_str(OUTBOX_SYNC_TAG)) {
            // Refused when the learner turned background sync off for the
            // site: nothing to do then but retry from the page.
            let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
        }
    });
}

async fn ready_registration() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return None;
    }
    let ready = navigator.service_worker().ready().ok()?;
    JsFuture::from(ready).await.ok()
}

/// Calls `on_sent` with the ids of every batch of reviews the service worker
/// sends (it posts `{type: "engram-outbox-sent", ids}` to each page), so a
/// page's count of waiting reviews stays true. For as long as the page lives.
pub fn on_reviews_sent_by_worker(on_sent: impl Fn(Vec<uuid::Uuid>) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let kind = js_sys::Reflect::get(&data, &JsValue::from_str("type")).ok();
        if kind.and_then(|kind| kind.as_string()).as_deref() != Some("engram-outbox-sent") {
            return;
        }
        let Ok(ids) = js_sys::Reflect::get(&data, &JsValue::from_str("ids")) else {
            return;
        };
        let ids = js_sys::Array::from(&ids)
            .iter()
            .filter_map(|id| id.as_string()?.parse().ok())
            .collect();
        on_sent(ids);
    });
    let _ = navigator
        .service_worker()
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    listener.forget();
}
