//! A page's data, loaded by a [`Resource`] whose value the server writes
//! into the page as JSON for hydration.
//!
//! The browser reads that JSON with `serde_json::from_slice`, as it reads
//! every server function's answer, rather than with `from_str`, as Leptos's
//! default codec does: serde_json's deserialisers are generic over their
//! reader, so each type the browser received both ways had its deserialiser
//! in the wasm twice.

use std::future::Future;

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};

/// JSON, read back with the same reader as the server functions' answers.
pub struct PageJson;

impl<T: Serialize> Encoder<T> for PageJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for PageJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(json: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(json.as_bytes())
    }
}

/// A resource of a page's data.
pub type PageData<T> = Resource<T, PageJson>;

/// As [`Resource::new`]: loads `fetcher(source())` again whenever `source`
/// changes.
#[track_caller]
pub fn page_data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageData<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn what_the_server_writes_the_browser_reads_back() {
        let loaded: Result<Vec<(String, i64)>, AppError> =
            Ok(vec![("Café «日本語» \"quoted\" </script>".into(), -3)]);
        let json = <PageJson as Encoder<_>>::encode(&loaded).unwrap();
        let read: Result<Vec<(String, i64)>, AppError> = PageJson::decode(&json).unwrap();
        assert_eq!(read, loaded);

        let failed: Result<Vec<(String, i64)>, AppError> = Err(AppError::NotFound);
        let json = <PageJson as Encoder<_>>::encode(&failed).unwrap();
        assert_eq!(PageJson::decode(&json).ok(), Some(failed));
    }
}
