//! DOCX (WordprocessingML) extraction: every story a reader sees, once, in order.
//!
//! Order of the text: headers (per section: first page, default, even), the body,
//! the text of SmartArt diagrams (their data parts, in order of reference),
//! footnotes, endnotes, then footers (same order as headers); each part appears once
//! even when several sections reference it, and stories with no text are left out.
//! Stories are separated by `\n` like paragraphs. Comments are not mixed into the
//! text: they are returned in `metadata.comments`. How one story is read is in
//! [`story`].

use std::collections::{HashMap, HashSet};

mod story;
mod symbol;

use crate::detect::DOCX;
use crate::error::{ExtractionError, Result};
use crate::limits::Config;
use crate::metadata;
use crate::package::Package;
use crate::result::{ExtractionResult, Metadata};

use story::{Budget, PartReference, Story, StoryKind};

/// Relationship type suffixes of the parts read besides the main part.
const REL_FOOTNOTES: &str = "/footnotes";
const REL_ENDNOTES: &str = "/endnotes";
const REL_COMMENTS: &str = "/comments";

/// Extracts text, tables and metadata from the DOCX package in `bytes`.
///
/// Errors: `Corrupt` (bad ZIP, missing main part, malformed XML, invalid UTF-8),
/// `UnsupportedFormat` (a ZIP that is not a Word document), `LimitExceeded`.
pub fn extract(bytes: &[u8], config: &Config) -> Result<ExtractionResult> {
    extract_from(&mut Package::open(bytes, config)?, config)
}

/// The parts [`extract`] inflates for `bytes`, in reading order (the bench's inflate-only baseline).
pub fn parts_read(bytes: &[u8], config: &Config) -> Result<Vec<String>> {
    let mut package = Package::open(bytes, config)?;
    package.log_reads();
    extract_from(&mut package, config)?;
    Ok(package.read_log().to_vec())
}

/// Opens the package in `bytes` and inflates `parts` exactly as [`extract`] does (same
/// inflater, limit and CRC check), and nothing more; returns the bytes inflated.
pub fn inflate_parts(bytes: &[u8], parts: &[String], config: &Config) -> Result<u64> {
    let mut package = Package::open(bytes, config)?;
    let mut total = 0;
    for part in parts {
        total += package.read_bytes(part)?.map_or(0, |b| b.len() as u64);
    }
    Ok(total)
}

fn extract_from(package: &mut Package<'_>, config: &Config) -> Result<ExtractionResult> {
    let main = package.main_part()?;
    let xml = package
        .read_text(&main)?
        .ok_or_else(|| ExtractionError::corrupt(format!("main document part {main} is missing")))?;
    let mut budget = Budget::new(config);
    let body = story::walk(&xml, &main, StoryKind::Flow, config, &mut budget)?;
    if body.root != "document" {
        return Err(ExtractionError::unsupported(format!(
            "OOXML package is not a Word document (its main part {main} is a <{}>)",
            body.root
        )));
    }
    drop(xml);
    let rels = package.relationships(&main)?;
    let targets: HashMap<&str, &str> = rels.iter().map(|r| (r.id, r.target)).collect();
    // Every part is read as a story at most once (a relationship may point back at the body).
    let mut seen: HashSet<String> = HashSet::from([main.to_ascii_lowercase()]);

    // Every other story part spends the same document budget.
    let mut read = |name: &str, kind| read_story(package, name, kind, config, &mut budget);
    let mut stories: Vec<Story> = Vec::new();
    for target in section_parts(&body.references, &targets, true, &mut seen) {
        stories.extend(read(&target, StoryKind::Flow)?);
    }
    let footers = section_parts(&body.references, &targets, false, &mut seen);
    let diagrams: Vec<String> = body
        .diagrams
        .iter()
        .filter_map(|id| targets.get(id.as_str()))
        .filter(|t| seen.insert(t.to_ascii_lowercase()))
        .map(|t| (*t).to_owned())
        .collect();
    stories.push(body);
    for target in diagrams {
        stories.extend(read(&target, StoryKind::Flow)?);
    }
    for suffix in [REL_FOOTNOTES, REL_ENDNOTES] {
        if let Some(target) = rels
            .target_of_type(suffix)
            .filter(|t| seen.insert(t.to_ascii_lowercase()))
        {
            stories.extend(read(target, StoryKind::Notes)?);
        }
    }
    for target in footers {
        stories.extend(read(&target, StoryKind::Flow)?);
    }
    let comments = match rels.target_of_type(REL_COMMENTS) {
        Some(target) => read(target, StoryKind::Comments)?.map(|s| s.items),
        None => None,
    };

    let mut content = String::with_capacity(stories.iter().map(|s| s.text.len() + 1).sum());
    let mut tables = Vec::new();
    for s in stories {
        if !s.text.is_empty() {
            if !content.is_empty() {
                content.push('\n');
            }
            content.push_str(&s.text);
        }
        tables.extend(s.tables);
    }
    let mut metadata = read_metadata(package, config)?;
    metadata.comments = comments.unwrap_or_default();
    Ok(ExtractionResult {
        content,
        mime_type: DOCX.to_owned(),
        metadata,
        tables,
    })
}

/// Header (or footer) parts in reading order: per section first, default, even; each
/// part once, and none already read as another story (`seen`, lower-cased names).
fn section_parts(
    references: &[PartReference],
    targets: &HashMap<&str, &str>,
    headers: bool,
    seen: &mut HashSet<String>,
) -> Vec<String> {
    let mut refs: Vec<&PartReference> = references
        .iter()
        .filter(|r| r.is_header == headers)
        .collect();
    refs.sort_by_key(|r| (r.section, r.order));
    refs.iter()
        .filter_map(|r| targets.get(r.rel_id.as_str()))
        .filter(|t| seen.insert(t.to_ascii_lowercase()))
        .map(|t| (*t).to_owned())
        .collect()
}

/// Walks the part `name` when the package has it.
///
/// Walks the part `name` when the package has it, spending the document's `budget`
/// ([`story::walk`]'s errors).
fn read_story(
    package: &mut Package<'_>,
    name: &str,
    kind: StoryKind,
    config: &Config,
    budget: &mut Budget,
) -> Result<Option<Story>> {
    let Some(xml) = package.read_text(name)? else {
        return Ok(None);
    };
    story::walk(&xml, name, kind, config, budget).map(Some)
}

/// Core properties (title, authors, dates) and extended properties (pages, words).
fn read_metadata(package: &mut Package<'_>, config: &Config) -> Result<Metadata> {
    let mut meta = match package.core_properties_part()? {
        Some(part) => package
            .read_text(&part)?
            .map(|x| metadata::parse_core(&x, config.max_xml_depth))
            .unwrap_or_default(),
        None => Metadata::default(),
    };
    if let Some(part) = package.extended_properties_part()?
        && let Some(xml) = package.read_text(&part)?
    {
        metadata::parse_extended(&xml, config.max_xml_depth, &mut meta);
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(section: u32, order: u8, rel_id: &str) -> PartReference {
        PartReference {
            section,
            is_header: true,
            order,
            rel_id: rel_id.to_owned(),
        }
    }

    #[test]
    fn section_parts_come_once_in_order_and_never_repeat_the_body() {
        // Regression: a header relationship pointing back at the body repeated it, and
        // 80k references took minutes (a linear search per reference).
        let targets = HashMap::from([
            ("r1", "word/header1.xml"),
            ("r2", "word/document.xml"),
            ("r3", "word/Header1.xml"),
        ]);
        let refs = [
            reference(1, 1, "r1"),
            reference(0, 1, "r1"),
            reference(0, 0, "r3"),
            reference(0, 2, "r2"),
        ];
        let mut seen = HashSet::from(["word/document.xml".to_owned()]);
        assert_eq!(
            section_parts(&refs, &targets, true, &mut seen),
            vec!["word/Header1.xml"]
        );
        let many: Vec<PartReference> = (0..80_000).map(|i| reference(i, 1, "r1")).collect();
        let mut seen = HashSet::new();
        assert_eq!(section_parts(&many, &targets, true, &mut seen).len(), 1);
    }
}
