//! Format detection from the bytes themselves (never from a file name).

/// MIME type of a Word document (DOCX, transitional or strict OOXML).
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// MIME type of a PDF document.
pub const PDF: &str = "application/pdf";

/// What the first bytes say a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// A ZIP archive (`PK\x03\x04`, or `PK\x05\x06` for an empty one): maybe OOXML.
    Zip,
    /// `%PDF-` within the first 1024 bytes (as PDF readers accept).
    Pdf,
    /// An OLE2 / Compound File Binary container: legacy `.doc` or encrypted OOXML.
    Cfb,
    /// Nothing we read.
    Unknown,
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Classifies `bytes` by their magic numbers.
pub fn sniff(bytes: &[u8]) -> Container {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Container::Zip
    } else if bytes.starts_with(CFB_MAGIC) {
        Container::Cfb
    } else if memfind(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        Container::Pdf
    } else {
        Container::Unknown
    }
}

/// Position of the first occurrence of `needle` in `haystack`.
pub(crate) fn memfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_magic_not_name() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Container::Zip);
        assert_eq!(sniff(b"%PDF-1.7\n"), Container::Pdf);
        assert_eq!(sniff(b"\n\n%PDF-1.4"), Container::Pdf);
        assert_eq!(sniff(CFB_MAGIC), Container::Cfb);
        assert_eq!(sniff(b""), Container::Unknown);
        assert_eq!(sniff(b"hello"), Container::Unknown);
    }
}
