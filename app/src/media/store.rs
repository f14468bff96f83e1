//! Where media bytes live: the `object_store` crate, on the local disk
//! under the data folder by default or in an S3-compatible bucket.

use std::{path::Path, sync::Arc};

use object_store::{local::LocalFileSystem, path::Path as ObjectPath, ObjectStore, PutPayload};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use super::{UploadedMedia, ALLOWED_TYPES};
use crate::error::AppError;

#[derive(Clone)]
pub struct MediaStore {
    objects: Arc<dyn ObjectStore>,
    /// The largest file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// The most bytes one account may upload in all.
    pub quota_per_account: u64,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("MediaStore")
            .field("objects", &self.objects.to_string())
            .field("max_upload_bytes", &self.max_upload_bytes)
            .field("quota_per_account", &self.quota_per_account)
            .finish()
    }
}

/// Why an upload was refused, in words for the person uploading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadRefusal {
    #[error("{}", super::UPLOAD_EMPTY)]
    Empty,
    #[error("The file is {size}; the limit is {limit}.")]
    TooLarge { size: String, limit: String },
    #[error("{}", super::UPLOAD_DISALLOWED_TYPE)]
    DisallowedType,
    #[error(
        "This file ({size}) would take you past your upload allowance: you have used {used} of {quota}."
    )]
    QuotaExceeded {
        size: String,
        used: String,
        quota: String,
    },
}

/// "10 MiB", "512 KiB", "1.5 MiB".
pub fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 * 1024 {
        let gib = bytes as f64 / (1024.0 * 1024.0 * 1024.0);
        return format!("{gib:.1} GiB");
    }
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        let mib = bytes as f64 / MIB;
        if (mib - mib.round()).abs() < 0.05 {
            format!("{} MiB", mib.round() as u64)
        } else {
            format!("{mib:.1} MiB")
        }
    } else if bytes >= 1024 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// The type of `bytes` if Engram accepts it, judged from the bytes alone.
pub fn sniff_type(bytes: &[u8]) -> Result<&'static str, UploadRefusal> {
    let kind = infer::get(bytes).ok_or(UploadRefusal::DisallowedType)?;
    ALLOWED_TYPES
        .into_iter()
        .find(|allowed| *allowed == kind.mime_type())
        .ok_or(UploadRefusal::DisallowedType)
}

impl MediaStore {
    /// Files under `folder` on this machine.
    pub fn local(folder: &Path, max_upload_bytes: usize) -> Result<MediaStore, AppError> {
        std::fs::create_dir_all(folder).map_err(AppError::internal)?;
        let objects = LocalFileSystem::new_with_prefix(folder).map_err(AppError::internal)?;
        Ok(MediaStore {
            objects: Arc::new(objects),
            max_upload_bytes,
            quota_per_account: u64::MAX,
        })
    }

    /// An S3-compatible bucket, configured by the usual `AWS_*` variables
    /// (`AWS_ENDPOINT` for MinIO, Garage or R2).
    pub fn s3(bucket: &str, max_upload_bytes: usize) -> Result<MediaStore, AppError> {
        let objects = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()
            .map_err(AppError::internal)?;
        Ok(MediaStore {
            objects: Arc::new(objects),
            max_upload_bytes,
            quota_per_account: u64::MAX,
        })
    }

    /// Limits what one account may upload in all.
    pub fn with_quota_per_account(mut self, bytes: u64) -> MediaStore {
        self.quota_per_account = bytes;
        self
    }

    fn object_path(sha256: &str) -> ObjectPath {
        // Two levels of fan-out keep any one folder small on disk.
        ObjectPath::from(format!("{}/{}/{sha256}", &sha256[..2], &sha256[2..4]))
    }

    /// Checks and stores `bytes`, recording who uploaded them. Storing the
    /// same bytes again is harmless: the address is their hash.
    pub async fn save(
        &self,
        pool: &PgPool,
        uploader: Uuid,
        bytes: Vec<u8>,
    ) -> Result<UploadedMedia, UploadError> {
        if bytes.is_empty() {
            return Err(UploadError::Refused(UploadRefusal::Empty));
        }
        if bytes.len() > self.max_upload_bytes {
            return Err(UploadError::Refused(UploadRefusal::TooLarge {
                size: human_size(bytes.len()),
                limit: human_size(self.max_upload_bytes),
            }));
        }
        let content_type = sniff_type(&bytes).map_err(UploadError::Refused)?;
        let sha256: String = Sha256::digest(&bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let byte_size = bytes.len() as u64;
        let failed = |error: sqlx::Error| UploadError::Failed(error.into());
        // One upload per account at a time, so parallel uploads cannot each
        // pass the quota check and together exceed it.
        let mut tx = pool.begin().await.map_err(failed)?;
        sqlx::query("select pg_advisory_xact_lock(hashtext('engram.media_quota'), hashtext($1::uuid::text))")
            .bind(uploader)
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        let (already_stored, used_bytes): (bool, i64) = sqlx::query_as(
            "select exists (select 1 from media where sha256 = $1),
                    coalesce((select sum(byte_size) from media where uploaded_by = $2), 0)::int8",
        )
        .bind(&sha256)
        .bind(uploader)
        .fetch_one(&mut *tx)
        .await
        .map_err(failed)?;
        let used_bytes = used_bytes.max(0) as u64;
        if !already_stored && used_bytes.saturating_add(byte_size) > self.quota_per_account {
            return Err(UploadError::Refused(UploadRefusal::QuotaExceeded {
                size: human_size(byte_size as usize),
                used: human_size(used_bytes as usize),
                quota: human_size(self.quota_per_account.min(usize::MAX as u64) as usize),
            }));
        }
        self.objects
            .put(&Self::object_path(&sha256), PutPayload::from(bytes))
            .await
            .map_err(|error| UploadError::Failed(AppError::internal(error)))?;
        // The file is written before the row, so a row always has bytes.
        sqlx::query(
            "insert into media (sha256, content_type, byte_size, uploaded_by)
             values ($1, $2, $3, $4) on conflict (sha256) do nothing",
        )
        .bind(&sha256)
        .bind(content_type)
        .bind(byte_size as i64)
        .bind(uploader)
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
        tx.commit().await.map_err(failed)?;
        Ok(UploadedMedia {
            url: format!("/media/{sha256}"),
            sha256,
            content_type: content_type.to_owned(),
            byte_size,
        })
    }

    /// The type of a stored file, or `None` if there is none.
    pub async fn content_type(pool: &PgPool, sha256: &str) -> Result<Option<String>, AppError> {
        let content_type = sqlx::query_scalar("select content_type from media where sha256 = $1")
            .bind(sha256)
            .fetch_optional(pool)
            .await?;
        Ok(content_type)
    }

    /// The bytes and type of a stored file, or `None` if there is none.
    pub async fn load(&self, pool: &PgPool, sha256: &str) -> Result<Option<(Vec<u8>, String)>, AppError> {
        let Some(content_type) = Self::content_type(pool, sha256).await? else {
            return Ok(None);
        };
        match self.objects.get(&Self::object_path(sha256)).await {
            Ok(result) => {
                let bytes = result.bytes().await.map_err(AppError::internal)?;
                Ok(Some((bytes.to_vec(), content_type)))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(AppError::internal(error)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Refused(UploadRefusal),
    #[error(transparent)]
    Failed(AppError),
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ];

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(sniff_type(PNG), Ok("image/png"));
        assert_eq!(sniff_type(b"ID3\x03\x00\x00\x00\x00\x00\x00"), Ok("audio/mpeg"));
        // An HTML page named cat.png is still HTML, and refused.
        assert_eq!(
            sniff_type(b"<html><script>alert(1)</script></html>"),
            Err(UploadRefusal::DisallowedType)
        );
        assert_eq!(
            sniff_type(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"),
            Err(UploadRefusal::DisallowedType)
        );
        assert_eq!(sniff_type(b"%PDF-1.7\n"), Err(UploadRefusal::DisallowedType));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(10 * 1024 * 1024), "10 MiB");
        assert_eq!(human_size(1024 * 1024 + 512 * 1024), "1.5 MiB");
        assert_eq!(human_size(2000), "2 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn every_refusal_is_known_again_when_read_back_from_an_address() {
        let sizes = [
            0,
            1,
            1023,
            1024,
            1536 * 1024,
            10 * 1024 * 1024,
            3 * 1024 * 1024 * 1024,
        ];
        for size in sizes {
            let size = || human_size(size);
            let refusals = [
                UploadRefusal::Empty,
                UploadRefusal::DisallowedType,
                UploadRefusal::TooLarge {
                    size: size(),
                    limit: size(),
                },
                UploadRefusal::TooLarge {
                    size: format!("over {}", size()),
                    limit: size(),
                },
                UploadRefusal::QuotaExceeded {
                    size: size(),
                    used: size(),
                    quota: size(),
                },
            ];
            for refusal in refusals {
                assert!(super::super::is_upload_refusal(&refusal.to_string()), "{refusal}");
            }
        }
        assert!(super::super::is_upload_refusal(super::super::UPLOAD_FAILED));
        // Text of anyone's choosing where a size goes is not ours.
        for message in [
            "The file is on fire; the limit is 10 MiB.",
            "The file is 3 MiB; the limit is call +1 555 0100.",
            "The file is 3 MiB; the limit is 10 MiB. Call +1 555 0100.",
            "This file (2 MiB) would take you past your upload allowance: you have used all of it.",
            "The file is  MiB; the limit is 1. MiB.",
            "",
        ] {
            assert!(!super::super::is_upload_refusal(message), "{message}");
        }
    }
}
