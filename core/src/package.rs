//! An OOXML package (the ZIP container of DOCX and friends): parts looked up by
//! name case-insensitively, read under the [`Config`] limits, relationships resolved.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use zip::ZipArchive;
use zip::result::ZipError;

use crate::error::{ExtractionError, Result};
use crate::limits::Config;

/// Relationship type of the main document part (transitional and strict URIs end alike).
const REL_OFFICE_DOCUMENT: &str = "/officeDocument";
/// Relationship type of the core properties part (`docProps/core.xml`).
const REL_CORE_PROPERTIES: &str = "/core-properties";
/// Relationship type of the extended (application) properties part (`docProps/app.xml`).
const REL_EXTENDED_PROPERTIES: &str = "/extended-properties";

/// An opened package: the archive plus a lower-cased name index.
pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name (no leading `/`) → entry index.
    index: HashMap<String, usize>,
    config: Config,
    /// Bytes inflated so far, checked against `config.max_decompressed_bytes`.
    inflated: u64,
}

/// One relationship of a part: its type URI and resolved target part name.
pub struct Relationship {
    pub id: String,
    pub rel_type: String,
    pub target: String,
}

fn zip_error(err: ZipError) -> ExtractionError {
    ExtractionError::corrupt(format!("not a readable ZIP archive: {err}"))
}

impl<'a> Package<'a> {
    /// Opens the ZIP archive in `bytes`, refusing more than `config.max_zip_entries` entries.
    pub fn open(bytes: &'a [u8], config: &Config) -> Result<Self> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
        if archive.len() as u64 > config.max_zip_entries {
            return Err(ExtractionError::limit(format!(
                "ZIP archive declares {} entries, more than the limit of {}",
                archive.len(),
                config.max_zip_entries
            )));
        }
        let mut index = HashMap::with_capacity(archive.len());
        for i in 0..archive.len() {
            if let Some(Ok(name)) = archive.name_for_index(i) {
                index.entry(name.trim_start_matches('/').to_ascii_lowercase()).or_insert(i);
            }
        }
        Ok(Self { archive, index, config: config.clone(), inflated: 0 })
    }

    /// Whether a part named `name` (case-insensitive, no leading `/`) exists.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(&name.to_ascii_lowercase())
    }

    /// Inflates part `name` (case-insensitive) as UTF-8 text without a BOM;
    /// `Ok(None)` when the package has no such part.
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>> {
        let Some(&i) = self.index.get(&name.to_ascii_lowercase()) else {
            return Ok(None);
        };
        let remaining = self.config.max_decompressed_bytes.saturating_sub(self.inflated);
        let mut entry = self.archive.by_index(i).map_err(zip_error)?;
        let mut buf = Vec::with_capacity(entry.size().min(remaining) as usize);
        (&mut entry)
            .take(remaining + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ExtractionError::corrupt(format!("cannot inflate part {name}: {e}")))?;
        if buf.len() as u64 > remaining {
            return Err(ExtractionError::limit(format!(
                "decompressed size exceeds the limit of {} bytes (while reading {name})",
                self.config.max_decompressed_bytes
            )));
        }
        self.inflated += buf.len() as u64;
        let mut text = String::from_utf8(buf)
            .map_err(|e| ExtractionError::corrupt(format!("part {name} is not valid UTF-8: {e}")))?;
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Ok(Some(text))
    }

    /// The relationships of `part` (from `<dir>/_rels/<file>.rels`; `""` for the package),
    /// with targets resolved to part names; empty when there is no `.rels` part.
    pub fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(xml) = self.read_text(&rels_name)? else {
            return Ok(Vec::new());
        };
        let mut reader = Reader::from_str(&xml);
        let mut rels = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Empty(e) | Event::Start(e)) if e.local_name().as_ref() == "Relationship" => {
                    let mut id = String::new();
                    let mut rel_type = String::new();
                    let mut target = String::new();
                    let mut external = false;
                    for attr in e.attributes().flatten() {
                        let value = attr.normalized_value(XmlVersion::Implicit1_0).unwrap_or_default();
                        match attr.key.local_name().as_ref() {
                            "Id" => id = value.into_owned(),
                            "Type" => rel_type = value.into_owned(),
                            "Target" => target = value.into_owned(),
                            "TargetMode" => external = value == "External",
                            _ => {}
                        }
                    }
                    if !external {
                        rels.push(Relationship { id, rel_type, target: resolve(dir, &target) });
                    }
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => {
                    return Err(ExtractionError::corrupt(format!(
                        "malformed XML in {rels_name} at byte {}: {e}",
                        reader.error_position()
                    )));
                }
            }
        }
        Ok(rels)
    }

    /// Target of the package relationship whose type ends with `suffix`.
    fn package_target(&mut self, suffix: &str) -> Result<Option<String>> {
        Ok(self
            .relationships("")?
            .into_iter()
            .find(|r| r.rel_type.ends_with(suffix))
            .map(|r| r.target))
    }

    /// Part name of the main document, from `_rels/.rels` (never assumed).
    pub fn main_part(&mut self) -> Result<String> {
        match self.package_target(REL_OFFICE_DOCUMENT)? {
            Some(target) if self.contains(&target) => Ok(target),
            Some(target) => Err(ExtractionError::corrupt(format!(
                "main document part {target} named in _rels/.rels is missing"
            ))),
            None if self.contains("_rels/.rels") => Err(ExtractionError::corrupt(
                "_rels/.rels names no main document part (officeDocument relationship)",
            )),
            None => Err(ExtractionError::unsupported(
                "ZIP archive is not an OOXML package (no _rels/.rels)",
            )),
        }
    }

    /// Part name of the core properties (`docProps/core.xml`), when the package has one.
    pub fn core_properties_part(&mut self) -> Result<Option<String>> {
        Ok(self.package_target(REL_CORE_PROPERTIES)?.filter(|t| self.contains(t)))
    }

    /// Part name of the extended properties (`docProps/app.xml`), when the package has one.
    pub fn extended_properties_part(&mut self) -> Result<Option<String>> {
        Ok(self.package_target(REL_EXTENDED_PROPERTIES)?.filter(|t| self.contains(t)))
    }

    /// Content type declared for `part` in `[Content_Types].xml` (Override, then Default by extension).
    pub fn content_type(&mut self, part: &str) -> Result<Option<String>> {
        let Some(xml) = self.read_text("[Content_Types].xml")? else {
            return Ok(None);
        };
        let wanted = format!("/{}", part.to_ascii_lowercase());
        let ext = part.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let mut default = None;
        let mut reader = Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(Event::Empty(e) | Event::Start(e)) => {
                    let name = e.local_name();
                    let get = |key: &str| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == key)
                            .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
                    };
                    match name.as_ref() {
                        "Override" if get("PartName").is_some_and(|p| p.to_ascii_lowercase() == wanted) => {
                            return Ok(get("ContentType"));
                        }
                        "Default" if get("Extension").map(|x| x.to_ascii_lowercase()) == ext => {
                            default = get("ContentType");
                        }
                        _ => {}
                    }
                }
                Ok(Event::Eof) => return Ok(default),
                Ok(_) => {}
                Err(e) => {
                    return Err(ExtractionError::corrupt(format!("malformed XML in [Content_Types].xml: {e}")));
                }
            }
        }
    }
}

/// Resolves a relationship `target` against the source part's directory `dir`
/// (absolute targets start with `/`; `..` and `.` segments are folded).
fn resolve(dir: &str, target: &str) -> String {
    let mut segments: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolves_relative_and_absolute_targets() {
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("", "/word/document2.xml"), "word/document2.xml");
        assert_eq!(resolve("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve("word", "../docProps/core.xml"), "docProps/core.xml");
        assert_eq!(resolve("word", "./styles.xml"), "word/styles.xml");
    }
}
