//! Small helpers shared by the XML walkers (entity references, error wording).

use quick_xml::events::BytesRef;
use quick_xml::reader::Reader;

use crate::error::ExtractionError;

/// Appends what the reference `r` stands for: a character reference or one of the
/// five predefined entities. Any other entity (declared in a DOCTYPE, possibly
/// external) is never expanded and contributes nothing.
pub fn push_reference(out: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let s = match r.as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return,
    };
    out.push_str(s);
}

/// A [`crate::ErrorKind::Corrupt`] error for malformed XML in `part`.
pub fn malformed(part: &str, reader: &Reader<&[u8]>, err: quick_xml::Error) -> ExtractionError {
    ExtractionError::corrupt(format!(
        "malformed XML in {part} at byte {}: {err}",
        reader.error_position()
    ))
}
