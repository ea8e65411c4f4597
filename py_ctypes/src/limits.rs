//! `bm_config`: the C view of `bridgemark_core::Config` (password and resource limits),
//! passed by `const bm_config *` to the extraction calls; NULL means `Config::DEFAULT`.

use bridgemark_core::{Config, ExtractionError};

use crate::extract::bytes;
use crate::result::bm_str;
use crate::status::run_infallible;

/// Settings of one extraction: the password and the resource limits.
///
/// Borrowed for the duration of the call only. Start from `bm_config_default()` and
/// change what you need; passing NULL instead of a `bm_config *` means the defaults
/// with no password. Exceeding a limit gives `BM_LIMIT_EXCEEDED`.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct bm_config {
    /// UTF-8 password for encrypted documents (PDF); `ptr == NULL` = no password
    /// (a non-NULL `ptr` with `len == 0` is the empty password). Not NUL-terminated.
    pub password: bm_str,
    /// Largest total number of bytes inflated from the ZIP parts read (default 512 MiB).
    pub max_decompressed_bytes: u64,
    /// Largest number of entries a ZIP container may declare (default 10,000).
    pub max_zip_entries: u64,
    /// Deepest XML element nesting accepted (default 256).
    pub max_xml_depth: u32,
    /// Most pages read from a paged document (default 100,000).
    pub max_pages: u32,
}

/// The core's defaults (`Config::DEFAULT`) with no password: what NULL means.
#[unsafe(no_mangle)]
pub extern "C" fn bm_config_default() -> bm_config {
    run_infallible(bm_config::default)
}

impl Default for bm_config {
    /// `Config::DEFAULT` with no password.
    fn default() -> Self {
        Self::from_core(&Config::DEFAULT)
    }
}

impl bm_config {
    /// The C view of the limits of `config` (its password is dropped: `ptr == NULL`).
    fn from_core(config: &Config) -> Self {
        bm_config {
            password: bm_str::ABSENT,
            max_decompressed_bytes: config.max_decompressed_bytes,
            max_zip_entries: config.max_zip_entries,
            max_xml_depth: config.max_xml_depth,
            max_pages: config.max_pages,
        }
    }
}

/// The core config for a `const bm_config *` argument: NULL is `Config::DEFAULT`.
/// A password that is not UTF-8 is `InvalidArgument`.
///
/// # Safety
/// `config` is NULL or points to a readable `bm_config` whose non-NULL `password.ptr`
/// points to `password.len` readable bytes.
pub(crate) unsafe fn to_core(config: *const bm_config) -> bridgemark_core::Result<Config> {
    // SAFETY: the caller's contract.
    let Some(c) = (unsafe { config.as_ref() }) else {
        return Ok(Config::DEFAULT);
    };
    let password = if c.password.ptr.is_null() {
        None
    } else {
        let raw = unsafe { bytes(c.password.ptr.cast(), c.password.len, "password") }?;
        let text = std::str::from_utf8(raw)
            .map_err(|_| ExtractionError::invalid_argument("password is not valid UTF-8"))?;
        Some(text.to_owned())
    };
    Ok(Config {
        password,
        max_decompressed_bytes: c.max_decompressed_bytes,
        max_zip_entries: c.max_zip_entries,
        max_xml_depth: c.max_xml_depth,
        max_pages: c.max_pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    #[test]
    fn null_is_the_core_default() {
        assert_eq!(unsafe { to_core(ptr::null()) }.unwrap(), Config::DEFAULT);
    }

    #[test]
    fn default_round_trips_to_the_core_default() {
        let c = bm_config_default();
        assert!(c.password.ptr.is_null());
        assert_eq!(unsafe { to_core(&c) }.unwrap(), Config::DEFAULT);
    }

    #[test]
    fn every_field_reaches_the_core() {
        let c = bm_config {
            password: bm_str::borrowed("sésame"),
            max_decompressed_bytes: 1,
            max_zip_entries: 2,
            max_xml_depth: 3,
            max_pages: 4,
        };
        let expected = Config {
            password: Some("sésame".into()),
            max_decompressed_bytes: 1,
            max_zip_entries: 2,
            max_xml_depth: 3,
            max_pages: 4,
        };
        assert_eq!(unsafe { to_core(&c) }.unwrap(), expected);
    }

    #[test]
    fn empty_password_is_present_not_absent() {
        let c = bm_config {
            password: bm_str::borrowed(""),
            ..bm_config_default()
        };
        assert_eq!(
            unsafe { to_core(&c) }.unwrap().password.as_deref(),
            Some("")
        );
    }
}
