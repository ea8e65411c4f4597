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

/// Value of the attribute of `e` whose local name is `local` (any prefix), unescaped.
pub fn attribute<'a>(
    e: &'a quick_xml::events::BytesStart<'_>,
    local: &str,
) -> Option<std::borrow::Cow<'a, str>> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
}
