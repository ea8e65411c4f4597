//! DOCX (WordprocessingML) text extraction: one streaming pass over the main part
//! with quick-xml, no DOM.
//!
//! Output rules: paragraphs in document order separated by `\n`; `w:t` text kept
//! exactly; `w:tab` → `\t`; `w:br`/`w:cr` → `\n`; a table is written in place, its
//! cells separated by `\t` and rows by `\n`, and also returned in `tables`.
//! Deleted and moved-away text (`w:del`, `w:moveFrom`), field instructions
//! (`w:instrText`) and `mc:Fallback` branches are skipped; every other wrapper
//! (hyperlinks, `w:ins`, `w:sdt`, smart tags, …) is transparent. Elements are matched
//! by local name, so strict and transitional namespaces read alike.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::detect::DOCX;
use crate::error::{ExtractionError, Result};
use crate::limits::Config;
use crate::metadata;
use crate::package::Package;
use crate::result::{ExtractionResult, Metadata, Table};
use crate::xml::{malformed, push_reference};

/// Extracts text, tables and core metadata from the DOCX package in `bytes`.
///
/// Errors: `Corrupt` (bad ZIP, missing main part, malformed XML, invalid UTF-8),
/// `UnsupportedFormat` (a ZIP that is not a Word document), `LimitExceeded`.
pub fn extract(bytes: &[u8], config: &Config) -> Result<ExtractionResult> {
    let mut package = Package::open(bytes, config)?;
    let main = package.main_part()?;
    if let Some(ct) = package.content_type(&main)? {
        if !ct.contains("wordprocessingml") {
            return Err(ExtractionError::unsupported(format!(
                "OOXML package is not a Word document (main part {main} has type {ct})"
            )));
        }
    }
    let xml = package
        .read_text(&main)?
        .ok_or_else(|| ExtractionError::corrupt(format!("main document part {main} is missing")))?;
    let (content, tables) = Body::walk(&xml, &main, config)?;
    let metadata = match package.core_properties_part()? {
        Some(part) => package.read_text(&part)?.map(|x| metadata::parse_core(&x)).unwrap_or_default(),
        None => Metadata::default(),
    };
    Ok(ExtractionResult { content, mime_type: DOCX.to_owned(), metadata, tables })
}

/// Where text goes: the document, or the table cell being read.
#[derive(Default)]
struct Sink {
    text: String,
    /// Blocks (paragraphs, tables) started so far: every block after the first gets a `\n`.
    blocks: usize,
}

impl Sink {
    fn start_block(&mut self) {
        if self.blocks > 0 {
            self.text.push('\n');
        }
        self.blocks += 1;
    }
}

/// A table being read; `slot` is its index in `tables` (reserved where it starts).
struct TableBuilder {
    slot: usize,
    rows: Table,
    row: Vec<String>,
}

/// Open elements that matter to the walk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Run,
    Text,
    Table,
    Row,
    Cell,
    Other,
}

/// Elements whose whole subtree is not text a reader sees.
fn is_skipped(local: &str) -> bool {
    matches!(
        local,
        "del" | "moveFrom" | "instrText" | "delText" | "Fallback" | "pPr" | "rPr" | "sectPr" | "tblPr" | "tcPr" | "trPr"
    )
}

struct Body {
    sinks: Vec<Sink>,
    open_tables: Vec<TableBuilder>,
    tables: Vec<Table>,
    tags: Vec<Tag>,
}

impl Body {
    /// Walks the main part `xml` (named `part`, for messages) and returns `(content, tables)`.
    fn walk(xml: &str, part: &str, config: &Config) -> Result<(String, Vec<Table>)> {
        let mut body = Body {
            sinks: vec![Sink { text: String::with_capacity(xml.len() / 8), blocks: 0 }],
            open_tables: Vec::new(),
            tables: Vec::new(),
            tags: Vec::with_capacity(64),
        };
        let mut reader = Reader::from_str(xml);
        // Depth of all open elements, and of the skipped element we are inside (if any).
        let mut depth: u32 = 0;
        let mut skip_at: Option<u32> = None;
        loop {
            let event = reader.read_event().map_err(|e| malformed(part, &reader, e))?;
            match event {
                Event::Start(e) => {
                    depth += 1;
                    if depth > config.max_xml_depth {
                        return Err(ExtractionError::limit(format!(
                            "XML in {part} nests deeper than the limit of {} elements",
                            config.max_xml_depth
                        )));
                    }
                    if skip_at.is_some() {
                        continue;
                    }
                    let local = e.local_name();
                    if is_skipped(local.as_ref()) {
                        skip_at = Some(depth);
                    } else {
                        body.start(local.as_ref());
                    }
                }
                Event::End(_) => {
                    match skip_at {
                        Some(d) if d == depth => skip_at = None,
                        Some(_) => {}
                        None => body.end(),
                    }
                    depth -= 1;
                }
                Event::Empty(e) if skip_at.is_none() => {
                    // An empty element is a start immediately followed by its end.
                    let local = e.local_name();
                    if !is_skipped(local.as_ref()) {
                        body.start(local.as_ref());
                        body.end();
                    }
                }
                Event::Text(t) if skip_at.is_none() && body.in_text() => {
                    body.sink().text.push_str(&t.xml10_content());
                }
                Event::CData(t) if skip_at.is_none() && body.in_text() => {
                    body.sink().text.push_str(&t);
                }
                Event::GeneralRef(r) if skip_at.is_none() && body.in_text() => {
                    push_reference(&mut body.sink().text, &r);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let content = body.sinks.swap_remove(0).text;
        Ok((content, body.tables))
    }

    fn sink(&mut self) -> &mut Sink {
        self.sinks.last_mut().expect("the document sink is never popped")
    }

    fn in_text(&self) -> bool {
        self.tags.last() == Some(&Tag::Text)
    }

    fn parent_is_run(&self) -> bool {
        self.tags.last() == Some(&Tag::Run)
    }

    fn start(&mut self, local: &str) {
        let tag = match local {
            "p" => {
                self.sink().start_block();
                Tag::Other
            }
            "r" => Tag::Run,
            "t" if self.parent_is_run() => Tag::Text,
            "tab" if self.parent_is_run() => {
                self.sink().text.push('\t');
                Tag::Other
            }
            "br" | "cr" if self.parent_is_run() => {
                self.sink().text.push('\n');
                Tag::Other
            }
            "tbl" => {
                self.sink().start_block();
                self.open_tables.push(TableBuilder { slot: self.tables.len(), rows: Vec::new(), row: Vec::new() });
                self.tables.push(Vec::new());
                Tag::Table
            }
            "tr" => Tag::Row,
            "tc" => {
                self.sinks.push(Sink::default());
                Tag::Cell
            }
            _ => Tag::Other,
        };
        self.tags.push(tag);
    }

    fn end(&mut self) {
        match self.tags.pop() {
            Some(Tag::Cell) => {
                let cell = self.sinks.pop().expect("a cell pushed its sink").text;
                if let Some(t) = self.open_tables.last_mut() {
                    t.row.push(cell);
                }
            }
            Some(Tag::Row) => {
                if let Some(t) = self.open_tables.last_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            Some(Tag::Table) => {
                let t = self.open_tables.pop().expect("a table pushed its builder");
                let sink = self.sink();
                for (i, row) in t.rows.iter().enumerate() {
                    if i > 0 {
                        sink.text.push('\n');
                    }
                    for (j, cell) in row.iter().enumerate() {
                        if j > 0 {
                            sink.text.push('\t');
                        }
                        sink.text.push_str(cell);
                    }
                }
                self.tables[t.slot] = t.rows;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(body: &str) -> (String, Vec<Table>) {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body>{body}</w:body></w:document>"#
        );
        Body::walk(&xml, "word/document.xml", &Config::DEFAULT).unwrap()
    }

    #[test]
    fn paragraphs_are_separated_by_newline_and_text_kept_exactly() {
        let (c, _) = walk(r#"<w:p><w:r><w:t xml:space="preserve"> a </w:t></w:r></w:p><w:p/><w:p><w:r><w:t>b</w:t></w:r></w:p>"#);
        assert_eq!(c, " a \n\nb");
    }

    #[test]
    fn tab_break_and_entities_inside_runs() {
        let (c, _) = walk(r#"<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>x</w:t><w:tab/><w:t>&amp;&#233;</w:t><w:br/><w:t>y</w:t></w:r></w:p>"#);
        assert_eq!(c, "x\t&é\ny");
    }

    #[test]
    fn tables_are_written_in_place_and_returned() {
        let (c, t) = walk(concat!(
            r#"<w:p><w:r><w:t>before</w:t></w:r></w:p>"#,
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr>"#,
            r#"<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t>after</w:t></w:r></w:p>"#
        ));
        assert_eq!(c, "before\na\tb\n\td\nafter");
        assert_eq!(t, vec![vec![vec!["a".to_owned(), "b".to_owned()], vec!["".to_owned(), "d".to_owned()]]]);
    }

    #[test]
    fn deleted_text_field_instructions_and_fallback_are_skipped() {
        let (c, _) = walk(concat!(
            r#"<w:p><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:ins><w:r><w:t>kept</w:t></w:r></w:ins>"#,
            r#"<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>1</w:t></w:r>"#,
            r#"<mc:AlternateContent xmlns:mc="urn:mc"><mc:Choice><w:r><w:t>C</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>F</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>"#
        ));
        assert_eq!(c, "kept1C");
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_limit_exceeded() {
        let body = "<x>".repeat(300) + &"</x>".repeat(300);
        let xml = format!("<w:document><w:body>{body}</w:body></w:document>");
        let err = Body::walk(&xml, "word/document.xml", &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::LimitExceeded);
    }

    #[test]
    fn unknown_entities_are_never_expanded() {
        let (c, _) = walk(r#"<w:p><w:r><w:t>a&ext;b</w:t></w:r></w:p>"#);
        assert_eq!(c, "ab");
    }

    #[test]
    fn mismatched_tags_are_corrupt() {
        let xml = "<w:document><w:body><w:p></w:body></w:document>";
        let err = Body::walk(xml, "word/document.xml", &Config::DEFAULT).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::Corrupt);
    }
}
